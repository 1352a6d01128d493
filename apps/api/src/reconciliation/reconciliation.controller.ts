import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { isoTimestamp } from '@switchyard/common';
import type { ReconItemEntity, ReconRunEntity } from '@switchyard/database';
import { ReconciliationService } from '@switchyard/reconciliation';
import { parseBound } from '../accounts/accounts.controller';
import type { AuthContext } from '@switchyard/merchants';
import { Auth, CurrentAuth } from '../common/auth.decorator';
import { modeOf } from '../events/events.controller';

export class ReconRunCreateDto {
  @ApiProperty() @IsDefined() @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/) merchant_connector_id: string;
  @ApiProperty({ example: '2026-11-20', description: 'UTC day' })
  @IsDefined()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'a date YYYY-MM-DD' })
  date: string;
  @ApiPropertyOptional({
    description: 'connector_transaction_id,amount,currency,status with a header line; amounts in minor units',
  })
  @IsOptional()
  @IsString()
  @MaxLength(5_000_000)
  settlement_csv?: string;
}

/** Ops: reconciliation runs per merchant connector account and day, their items, and a CSV export. */
@ApiTags('Reconciliation')
@ApiSecurity('api-key')
@Controller('recon/:merchant_id/runs')
export class ReconciliationController {
  constructor(private readonly recon: ReconciliationService) {}

  @Post()
  @HttpCode(200)
  @Auth('admin', 'merchant')
  async create(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Body() dto: ReconRunCreateDto,
  ) {
    const run = await this.recon.request(merchantId, {
      merchantConnectorId: dto.merchant_connector_id,
      day: dto.date,
      settlementCsv: dto.settlement_csv,
      mode: modeOf(auth),
      trigger: 'manual',
    });
    return toRunResponse(run);
  }

  @Get()
  @Auth('admin', 'merchant')
  async list(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Query('limit') limit?: string,
  ) {
    return (await this.recon.list(merchantId, parseBound(limit, 'limit', 1, 100, 20), modeOf(auth))).map(toRunResponse);
  }

  @Get(':run_id')
  @Auth('admin', 'merchant')
  async get(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('run_id') runId: string,
  ) {
    const { run, items } = await this.recon.get(merchantId, runId, modeOf(auth));
    return { ...toRunResponse(run), items: items.map(toItemResponse) };
  }

  @Get(':run_id/items.csv')
  @Auth('admin', 'merchant')
  @Header('content-type', 'text/csv; charset=utf-8')
  async csv(
    @CurrentAuth() auth: AuthContext,
    @Param('merchant_id') merchantId: string,
    @Param('run_id') runId: string,
  ) {
    return this.recon.csv(merchantId, runId, modeOf(auth));
  }
}

function toRunResponse(run: ReconRunEntity) {
  return {
    run_id: run.runId,
    merchant_id: run.merchantId,
    merchant_connector_id: run.merchantConnectorId,
    date: run.day,
    status: run.status,
    trigger: run.trigger,
    summary: run.summary,
    error: run.error,
    created: isoTimestamp(run.createdAt),
    completed: isoTimestamp(run.completedAt),
  };
}

function toItemResponse(item: ReconItemEntity) {
  return {
    kind: item.kind,
    object: item.object,
    payment_id: item.paymentId,
    refund_id: item.refundId,
    connector_reference: item.connectorReference,
    local_status: item.localStatus,
    connector_status: item.connectorStatus,
    local_amount: item.localAmount === null ? null : Number(item.localAmount),
    connector_amount: item.connectorAmount === null ? null : Number(item.connectorAmount),
    currency: item.currency,
    note: item.note,
  };
}
