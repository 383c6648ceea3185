import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactText } from '../pipeline/redact/index.js';

export type { Logger };

/** Keys whose values are conversation content: never logged, in any environment. */
const CONTENT_KEYS = new Set([
  'text',
  'utterances',
  'content',
  'body',
  'transcript',
  'conversation',
  'conversations',
]);

/**
 * Deep-copies a log record, dropping conversation content and masking personal numbers in every
 * remaining string. It is the last line of defence: callers should not log content in the first place.
 */
export function scrubLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value).text;
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message).text };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrubLogValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = CONTENT_KEYS.has(key) ? '[content omitted]' : scrubLogValue(v, depth + 1);
  }
  return out;
}

export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'voc' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (record) => scrubLogValue(record) as Record<string, unknown>,
    },
    hooks: {
      // Messages are strings built by our code, but may interpolate user input: mask them too.
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? redactText(a).text : a)) as typeof args;
        method.apply(this, masked);
      },
    },
  };
  const logger = destination ? pino(options, destination) : pino(options, pino.destination(2));
  // Child bindings (a request id from X-Request-Id, job ids) skip `formatters.log`, and pino gives
  // children no bindings formatter: scrub them on the way in. Children inherit this method.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, scrubLogValue(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}
