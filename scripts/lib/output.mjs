// Console output shared by `npm start` and `npm test`: phase lines with durations, colours only on a terminal,
// and one error type for problems the user can fix (printed without a stack trace).

const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
const paint = (code) => (text) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : String(text));

export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');
export const cyan = paint('36');

/** A failure with a message that tells the user what to do; printed as-is, without a stack trace. */
export class UserError extends Error {}

export function info(message) {
  process.stdout.write(`${message}\n`);
}

export function warn(message) {
  process.stderr.write(`${yellow('!')} ${message}\n`);
}

export function errorLine(message) {
  process.stderr.write(`${red('✗')} ${message}\n`);
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Runs one phase and prints `• label…` before and `• summary (1.2 s)` after, so a slow or failing phase is easy to spot.
 * `summarize(result)` may name what came out of it (e.g. "postgres on :54329"); by default the line says "label ok".
 */
export async function phase(label, fn, summarize = () => `${label} ok`) {
  const started = Date.now();
  info(`${cyan('•')} ${label}…`);
  const result = await fn();
  info(`${cyan('•')} ${summarize(result)} ${dim(`(${seconds(Date.now() - started)})`)}`);
  return result;
}

/** Prints an error: user errors as their message, anything else with its stack (it is a bug in these scripts). */
export function reportError(error) {
  if (error instanceof UserError) {
    errorLine(error.message);
  } else {
    errorLine(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
