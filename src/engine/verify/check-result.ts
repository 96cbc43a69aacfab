// One verification check's result, before it is judged against the baseline. Each check is identified by its kind
// and, for container health, its container; each failure carries a "how it failed" signature that stays the same
// from run to run (no timings, counts or free text), so a failure before the upgrade and one after can be compared.
import { GlowwormError } from '../errors.js';

export type VerifyCheck =
  | 'container-health'
  | 'http-health'
  | 'alembic-head'
  | 'schema'
  | 'settings-api'
  | 'frontend-api'
  | 'row-counts'
  | 'services-running';

/**
 * A verification check compared with the same check on the running version before the upgrade changed anything
 * (the baseline, verify/baseline.ts): it passed then; it failed then and fails the same way now (not held against
 * the run); it failed then and fails differently now; it failed then and passes now; or there is no baseline for it
 * (a container the upgrade creates, a resumed run from before baselines, a reset or restore).
 */
export type BaselineVerdict = 'passed' | 'failed-same' | 'failed-differently' | 'fixed' | 'not-recorded';

export interface CheckResult {
  check: VerifyCheck;
  /** The container a `container-health` check is about; null for the other checks. */
  container: string | null;
  passed: boolean;
  /** How it failed (`unhealthy`, `http-500`, `swallowed-db-error`, …); null when it passed. */
  failure: string | null;
  detail: string;
}

/** The check's identity across runs: `settings-api`, `container-health:glowworm-backend`. */
export function checkKey(c: { check: VerifyCheck; container: string | null }): string {
  return c.container === null ? c.check : `${c.check}:${c.container}`;
}

export function passedCheck(check: VerifyCheck, detail: string, container: string | null = null): CheckResult {
  return { check, container, passed: true, failure: null, detail };
}

export function failedCheck(check: VerifyCheck, failure: string, detail: string, container: string | null = null): CheckResult {
  return { check, container, passed: false, failure, detail };
}

// The codes the container waits throw, as the words of a signature.
const CONTAINER_FAILURES: Record<string, string> = {
  'verify.restart-loop': 'restarting',
  'verify.exited': 'exited',
  'verify.unhealthy': 'unhealthy',
  'verify.timeout': 'not-healthy-in-time',
  'verify.container-missing': 'missing',
};

/**
 * The signature of a check that threw: our own error's code, a driver's error code (mysql2's `ER_NO_SUCH_TABLE`,
 * node's `ECONNREFUSED`), or just `error`. The message is left to the detail: it holds timings and counts.
 */
export function failureOfError(error: unknown): string {
  if (error instanceof GlowwormError) return CONTAINER_FAILURES[error.code] ?? `error:${error.code}`;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code ? `error:${code}` : 'error';
}
