import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { PaymentCaller } from '@switchyard/payments';
import { RefundsService } from '@switchyard/payments';
import { parseBound } from '../accounts/accounts.controller';
import { Auth } from '../common/auth.decorator';
import { CurrentCaller } from '../common/caller';
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
  async create(@CurrentCaller() caller: PaymentCaller, @Body() dto: RefundCreateDto) {
    checkMetadata(dto.metadata);
    return this.refunds.create(caller, {
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
    @CurrentCaller() caller: PaymentCaller,
    @Query('payment_id') paymentId?: string,
    @Query('limit') limit?: string,
  ) {
    return this.refunds.list(caller, paymentId, parseBound(limit, 'limit', 1, 100, 10));
  }

  @Get(':refund_id')
  @Auth('merchant')
  async retrieve(
    @CurrentCaller() caller: PaymentCaller,
    @Param('refund_id') refundId: string,
    @Query('force_sync') forceSync?: string,
  ) {
    return this.refunds.retrieve(caller, refundId, forceSync === 'true');
  }
}
