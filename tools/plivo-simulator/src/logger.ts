import pino, { Logger } from 'pino';

/** JSON lines to stdout. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'plivo-simulator' } });
}
