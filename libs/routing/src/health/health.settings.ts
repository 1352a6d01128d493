import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { validateEnv } from '@switchyard/config';

export const ROUTING_HEALTH_SETTINGS = Symbol('ROUTING_HEALTH_SETTINGS');

/**
 * Circuit-breaker tuning, read from the environment and validated at start like every other area (the process refuses
 * to start naming a bad variable). Kept next to the breaker because only routing reads it.
 */
export class RoutingHealthSettings {
  /** Calls (authorizations) older than this do not count towards opening a circuit. */
  @IsInt()
  @Min(5)
  @Max(3600)
  ROUTING_BREAKER_WINDOW_SECONDS: number = 60;

  /** Failed calls (timeouts, 5xx, unreadable answers) in the window before a circuit may open… */
  @IsInt()
  @Min(1)
  @Max(1000)
  ROUTING_BREAKER_MIN_FAILURES: number = 5;

  /** …and the share of the window's calls they must be. */
  @IsNumber()
  @Min(0.01)
  @Max(1)
  ROUTING_BREAKER_FAILURE_RATIO: number = 0.5;

  /** How long an open circuit is skipped before one probe is let through (half-open). */
  @IsInt()
  @Min(1)
  @Max(3600)
  ROUTING_BREAKER_OPEN_SECONDS: number = 30;

  /** How long a probe may take before another replica may probe instead (a probe whose process died). */
  @IsInt()
  @Min(1)
  @Max(600)
  ROUTING_BREAKER_PROBE_SECONDS: number = 45;
}

export function loadRoutingHealthSettings(env: NodeJS.ProcessEnv = process.env): RoutingHealthSettings {
  return validateEnv(RoutingHealthSettings, env);
}
