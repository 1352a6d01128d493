import { IsDefined, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ID_OR_EMPTY = /^[A-Za-z0-9_-]{0,80}$/;

/** Query of every dashboard page: filters, plus the outcome of a re-delivery the page was redirected back with. */
export class DashboardQuery {
  @IsOptional() @Matches(ID_OR_EMPTY) payment_id?: string;
  @IsOptional() @Matches(ID_OR_EMPTY) merchant_id?: string;
  @IsOptional() @Matches(/^[a-z_]{0,40}$/) status?: string;
  @IsOptional() @Matches(ID_OR_EMPTY) redelivered?: string;
  @IsOptional() @IsIn(['delivered', 'failed', 'no_endpoint', 'not_found']) outcome?: string;
}

export class LoginForm {
  @IsDefined() @IsString() @MaxLength(128) csrf: string;
  @IsDefined() @IsString() @MaxLength(512) admin_key: string;
}

export class CsrfForm {
  @IsDefined() @IsString() @MaxLength(128) csrf: string;
}

export class RedeliverForm extends CsrfForm {
  /** Where to come back to: a dashboard path (checked again before redirecting). */
  @IsOptional() @IsString() @MaxLength(512) back?: string;
}
