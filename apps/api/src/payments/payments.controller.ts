import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DomainError, Errors } from '@switchyard/common';
import { PaymentCaller, PaymentsService } from '@switchyard/payments';
import { CheckoutService } from '@switchyard/checkout';
import { themeToJson } from '../checkout/checkout.dto';
import { parseBound } from '../accounts/accounts.controller';
import { Auth } from '../common/auth.decorator';
import { CurrentCaller } from '../common/caller';
import { checkMetadata } from './metadata';
import { PaymentsCancelDto, PaymentsCaptureDto, PaymentsConfirmDto, PaymentsCreateDto } from './payments.dto';

const LIST_QUERY_KEYS = new Set([
  'customer_id',
  'starting_after',
  'ending_before',
  'limit',
  'created',
  'created.lt',
  'created.gt',
  'created.lte',
  'created.gte',
]);

@ApiTags('Payments')
@ApiSecurity('api-key')
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly checkout: CheckoutService,
  ) {}

  @Post()
  @HttpCode(200)
  @Auth('merchant')
  async create(@CurrentCaller() caller: PaymentCaller, @Body() dto: PaymentsCreateDto) {
    checkMetadata(dto.metadata);
    if (dto.capture_method === 'scheduled') {
      throw new DomainError('NotImplemented', 'This API is under development and will be made available soon.');
    }
    if (dto.capture_method && dto.capture_method !== 'automatic' && dto.capture_method !== 'manual') {
      throw new DomainError('FlowNotSupported', `capture_method ${dto.capture_method} flow not supported`);
    }
    if (dto.payment_link && dto.confirm) {
      throw new DomainError(
        'InvalidRequestData',
        'payment_link needs confirm: false (the shopper confirms on the link)',
      );
    }
    const created = await this.payments.create(caller, {
      paymentId: dto.payment_id?.trim(),
      amount: dto.amount,
      currency: dto.currency,
      confirm: dto.confirm ?? false,
      captureMethod: dto.capture_method === 'manual' ? 'manual' : 'automatic',
      amountToCapture: dto.amount_to_capture,
      returnUrl: dto.return_url,
      description: dto.description,
      customerId: dto.customer_id,
      metadata: dto.metadata,
      merchantOrderReferenceId: dto.merchant_order_reference_id,
      paymentMethod: dto.payment_method,
      paymentMethodType: dto.payment_method_type,
      authenticationType: dto.authentication_type,
      paymentMethodData: dto.payment_method_data,
      profileId: dto.profile_id,
      sessionExpiry: dto.session_expiry,
      routing: dto.routing ?? null,
      connector: dto.connector ?? null,
    });
    return dto.payment_link ? this.withLink(caller, String(created.payment_id), dto) : created;
  }

  /** `payment_link: true`: the link is made for the new payment, then the payment is answered with it. */
  private async withLink(caller: PaymentCaller, paymentId: string, dto: PaymentsCreateDto) {
    await this.checkout.createLink({ merchantId: caller.merchantId, mode: caller.mode ?? 'test' }, paymentId, {
      sessionExpiry: dto.session_expiry,
      config: themeToJson(dto.payment_link_config),
    });
    return this.payments.retrieve(caller, paymentId, {});
  }

  @Get('list')
  @Auth('merchant')
  async list(@CurrentCaller() caller: PaymentCaller, @Query() query: Record<string, string>) {
    for (const key of Object.keys(query)) {
      if (!LIST_QUERY_KEYS.has(key))
        throw new DomainError('MalformedRequestBody', `Query deserialize error: unknown field \`${key}\``);
    }
    const created = query.created ? parseDate(query.created, 'created') : undefined;
    return this.payments.list(caller, {
      customerId: query.customer_id,
      limit: parseBound(query.limit, 'limit', 1, 100, 10),
      createdGte: created ?? parseDate(query['created.gte'] ?? query['created.gt'], 'created.gte'),
      createdLte: created ?? parseDate(query['created.lte'] ?? query['created.lt'], 'created.lte'),
      startingAfter: query.starting_after,
      endingBefore: query.ending_before,
    });
  }

  @Get(':payment_id')
  @Auth('merchant', 'publishable')
  async retrieve(
    @CurrentCaller() caller: PaymentCaller,
    @Param('payment_id') paymentId: string,
    @Query('force_sync') forceSync?: string,
    @Query('expand_attempts') expandAttempts?: string,
    @Query('client_secret') clientSecret?: string,
  ) {
    return this.payments.retrieve(caller, paymentId, {
      forceSync: parseBool(forceSync, 'force_sync'),
      expandAttempts: parseBool(expandAttempts, 'expand_attempts'),
      clientSecret,
    });
  }

  @Post(':payment_id/confirm')
  @HttpCode(200)
  @Auth('merchant', 'publishable')
  async confirm(
    @CurrentCaller() caller: PaymentCaller,
    @Param('payment_id') paymentId: string,
    @Body() dto: PaymentsConfirmDto,
  ) {
    return this.payments.confirm(caller, paymentId, {
      returnUrl: dto.return_url,
      paymentMethod: dto.payment_method,
      paymentMethodType: dto.payment_method_type,
      authenticationType: dto.authentication_type,
      paymentMethodData: dto.payment_method_data,
      clientSecret: dto.client_secret,
      routing: dto.routing ?? undefined,
      connector: dto.connector ?? undefined,
    });
  }

  @Post(':payment_id/capture')
  @HttpCode(200)
  @Auth('merchant')
  async capture(
    @CurrentCaller() caller: PaymentCaller,
    @Param('payment_id') paymentId: string,
    @Body() dto: PaymentsCaptureDto,
  ) {
    return this.payments.capture(caller, paymentId, dto.amount_to_capture);
  }

  @Post(':payment_id/cancel')
  @HttpCode(200)
  @Auth('merchant')
  async cancel(
    @CurrentCaller() caller: PaymentCaller,
    @Param('payment_id') paymentId: string,
    @Body() dto: PaymentsCancelDto,
  ) {
    return this.payments.cancel(caller, paymentId, dto.cancellation_reason);
  }
}

function parseBool(raw: string | undefined, field: string): boolean {
  if (raw === undefined) return false;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw Errors.invalidFormat(field, 'true or false');
}

function parseDate(raw: string | undefined, field: string): Date | undefined {
  if (raw === undefined) return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw Errors.invalidFormat(field, 'an ISO-8601 datetime');
  return date;
}
