import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Clock, Errors } from '@switchyard/common';
import { RotationService } from '@switchyard/ops';
import { toApiKeyResponse } from '../accounts/accounts.mapper';
import { Auth } from '../common/auth.decorator';
import { RotateApiKeyDto } from './ops.dto';

/**
 * API key rotation: a new key (shown once) and the old key kept working for an overlap window. Admin-only, like
 * creating keys: a stolen merchant key must not be able to mint itself a successor that outlives its expiry.
 */
@ApiTags('Merchant accounts')
@ApiSecurity('api-key')
@Controller('api_keys/:merchant_id/:key_id')
export class ApiKeyRotationController {
  constructor(
    private readonly rotation: RotationService,
    private readonly clock: Clock,
  ) {}

  @Post('rotate')
  @HttpCode(200)
  @Auth('admin')
  async rotate(@Param('merchant_id') merchantId: string, @Param('key_id') keyId: string, @Body() dto: RotateApiKeyDto) {
    const expiresAt =
      dto.expiration === undefined ? undefined : dto.expiration === 'never' ? null : new Date(dto.expiration);
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= this.clock.now().getTime())) {
      throw Errors.invalidFormat('expiration', '"never" or a datetime in the future');
    }
    const { entity, plaintext, previous } = await this.rotation.rotateApiKey(merchantId, keyId, {
      overlapSeconds: dto.overlap_seconds,
      expiresAt,
    });
    const { prefix: _prefix, ...view } = toApiKeyResponse(entity);
    return { ...view, api_key: plaintext, previous_key: { ...toApiKeyResponse(previous), replaced_by: entity.keyId } };
  }
}
