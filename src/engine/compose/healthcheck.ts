// A service's `healthcheck:`, with durations in milliseconds. Compose sends a string test as `CMD-SHELL`, and both
// `disable: true` and `test: ["NONE"]` as `["NONE"]`, which is how docker switches the image's healthcheck off.

import { userError } from '../errors.js';
import type { Healthcheck } from './model.js';
import { isRecord } from './tree.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

export function parseHealthcheck(raw: unknown, path: string): Healthcheck | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) throw invalid(path, 'must be a mapping');
  const disabled = raw['disable'] === true || raw['disable'] === 'true' || isNoneTest(raw['test']);
  return {
    disabled,
    test: disabled ? ['NONE'] : parseTest(raw['test'], `${path}.test`),
    intervalMs: durationField(raw, 'interval', path),
    timeoutMs: durationField(raw, 'timeout', path),
    retries: retriesField(raw['retries'], `${path}.retries`),
    startPeriodMs: durationField(raw, 'start_period', path),
    startIntervalMs: durationField(raw, 'start_interval', path),
  };
}

/** A Go duration (`30s`, `1m30s`, `1.5h`, `500ms`) in milliseconds, as compose accepts them. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < trimmed.length) {
    const match = DURATION_PART.exec(trimmed);
    if (!match) return null;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return trimmed === '' ? null : total;
}

function isNoneTest(test: unknown): boolean {
  return Array.isArray(test) && test[0] === 'NONE';
}

function parseTest(test: unknown, path: string): string[] | null {
  if (test === undefined || test === null) return null;
  if (typeof test === 'string') return ['CMD-SHELL', test];
  if (Array.isArray(test) && test.length > 0) return test.map(String);
  throw invalid(path, 'must be a string or a non-empty list');
}

function durationField(raw: Record<string, unknown>, key: string, path: string): number | null {
  const value = raw[key];
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'string' ? parseDuration(value) : null;
  if (ms === null) throw invalid(`${path}.${key}`, `${JSON.stringify(value)} is not a duration like "30s" or "1m30s"`);
  return ms;
}

function retriesField(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  const retries = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(retries) || retries < 0) throw invalid(path, `${JSON.stringify(value)} is not a whole number`);
  return retries;
}

function invalid(path: string, detail: string) {
  return userError('compose.healthcheck-invalid', `Invalid healthcheck at ${path}: ${detail}.`);
}
