import { Injectable } from '@nestjs/common';

/** Wrapped so tests can move time (token expiry, client_secret expiry, sync schedules). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** ISO-8601 UTC with exactly 3 fractional digits, as Hyperswitch serialises timestamps. */
export function isoTimestamp(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
