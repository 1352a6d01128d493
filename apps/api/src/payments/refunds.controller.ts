import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { AuthContext } from '@switchyard/merchants';
import { RefundsService } from '@switchyard/payments';
import { parseBound } from '../accounts/accounts.controller';
import { Auth, CurrentAuth } from '../common/auth.decorator';
import { toPaymentCaller } from '../common/caller';
import { checkMetadata } from './metadata';
import { RefundCreateDto } from './payments.dto';

@ApiTags('Refunds')
@ApiSecurity('api-key')
@Controller('refunds')
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Post()
  @HttpCode(200)
  @Auth('merchant')
  async create(@CurrentAuth() auth: AuthContext, @Body() dto: RefundCreateDto) {
    checkMetadata(dto.metadata);
    return this.refunds.create(toPaymentCaller(auth), {
      paymentId: dto.payment_id,
      refundId: dto.refund_id,
      amount: dto.amount,
      reason: dto.reason,
      metadata: dto.metadata,
    });
  }

  @Get('list')
  @Auth('merchant')
  async list(
    @CurrentAuth() auth: AuthContext,
    @Query('payment_id') paymentId?: string,
    @Query('limit') limit?: string,
  ) {
    return this.refunds.list(toPaymentCaller(auth), paymentId, parseBound(limit, 'limit', 1, 100, 10));
  }

  @Get(':refund_id')
  @Auth('merchant')
  async retrieve(
    @CurrentAuth() auth: AuthContext,
    @Param('refund_id') refundId: string,
    @Query('force_sync') forceSync?: string,
  ) {
    return this.refunds.retrieve(toPaymentCaller(auth), refundId, forceSync === 'true');
  }
}
