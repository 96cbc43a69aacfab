// Verification after an upgrade (and after a rollback, of the old version), and the same checks on the running
// version before the upgrade (the baseline, baseline.ts). Every check runs, whatever the others found, and emits one
// `verify.check` event judged against the baseline; the run fails only on a check that fails newly or differently.
// Each check says what it compared, so a failure is actionable.
import type { DockerPort } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions, listTables } from '../db/schema.js';
import type { LogLevel } from '../event-words.js';
import type { VerifyCheck } from './check-result.js';
import type { Redactor } from '../secrets.js';
import { alreadyFailing, alreadyFailingSentence, baselineOf, checkLabel, checkLine, judgeCheck, verifySummary, type JudgedCheck, type VerifyBaseline } from './baseline.js';
import { failedCheck, failureOfError, passedCheck, type CheckResult } from './check-result.js';
import { checkContainer } from './container-check.js';
import { backendHealth } from './http-probe.js';
import { probeSettingsApi } from './settings-probe.js';
import { probeFrontendApi } from './frontend-api.js';

export interface VerifyExpectations {
  backend: string;
  /** App containers that must be running (and healthy where they have a healthcheck of their own). */
  containers: string[];
  heads: string[];
  tables: string[];
  creds: DbCredentials;
  healthTimeoutMs?: number;
  /** How long a container judged by staying up (container-check.ts) must stay up. */
  settleMs?: number;
  /** False after a reset: an empty database has no admin to ask the settings API as. */
  settingsApi?: boolean;
  /** Where the frontend's API answers on the compose network (frontend-api.ts); null or absent: not checked. */
  frontendApiUrl?: string | null;
  /** The same checks before the upgrade; absent or null: every check must simply pass. */
  baseline?: VerifyBaseline | null;
}

export interface VerifyOutcome {
  ok: boolean;
  /** The checks that fail the run, as lines. */
  failures: string[];
  checks: JudgedCheck[];
  /** For the step's summary: how many passed, and what was failing before the upgrade. */
  summary: string;
}

export interface VerifyIO {
  docker: DockerPort;
  redactor: Redactor;
  signal?: AbortSignal;
}

const SETTLE_MS = 5_000;

function sameSet(a: string[], b: string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((v, i) => v === sortedB[i]);
}

/** A check that threw (the database unreachable, an exec refused) failed, with the error's signature. */
async function guarded(check: VerifyCheck, fn: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await fn();
  } catch (error) {
    return failedCheck(check, failureOfError(error), (error as Error).message);
  }
}

/** Every check, each result handed to `onResult` as it is known; containers are checked side by side. */
export async function runChecks(io: VerifyIO, exp: VerifyExpectations, onResult: (r: CheckResult) => void): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (r: CheckResult) => {
    results.push(r);
    onResult(r);
  };
  const containerOpts = { timeoutMs: exp.healthTimeoutMs ?? 120_000, settleMs: exp.settleMs ?? SETTLE_MS, signal: io.signal };
  await Promise.all(exp.containers.map(async (name) => add(await checkContainer(io.docker, name, containerOpts))));

  add(await guarded('http-health', async () => {
    const { healthy, failure, detail } = await backendHealth(io.docker, exp.backend);
    return healthy ? passedCheck('http-health', detail) : failedCheck('http-health', failure ?? 'not-healthy', detail);
  }));

  add(await guarded('alembic-head', () => withDb(exp.creds, async (db) => {
    const current = await alembicRevisions(db);
    if (sameSet(current, exp.heads)) return passedCheck('alembic-head', `alembic_version is ${current.join(', ')}, as expected`);
    const at = current.join(', ') || 'empty';
    return failedCheck('alembic-head', `at:${[...current].sort().join(',') || 'empty'}`, `alembic_version is ${at}, expected ${exp.heads.join(', ')}`);
  })));

  add(await guarded('schema', () => withDb(exp.creds, async (db) => {
    const present = new Set(await listTables(db));
    const missing = exp.tables.filter((t) => !present.has(t));
    if (!missing.length) return passedCheck('schema', `all ${exp.tables.length} expected tables present`);
    return failedCheck('schema', `missing:${[...missing].sort().join(',')}`, `missing tables: ${missing.join(', ')}`);
  })));

  if (exp.settingsApi !== false) add(await guarded('settings-api', () => withDb(exp.creds, async (db) => {
    const r = await probeSettingsApi({ docker: io.docker, backend: exp.backend, db, redactor: io.redactor });
    return r.ok ? passedCheck('settings-api', r.detail) : failedCheck('settings-api', r.failure ?? 'failed', r.detail);
  })));
  if (exp.frontendApiUrl) {
    const url = exp.frontendApiUrl;
    add(await guarded('frontend-api', () => probeFrontendApi(io.docker, exp.backend, url)));
  }
  return results;
}

/** The checks on the version running now, before anything changes, kept to judge the upgrade and its rollback. */
export async function captureBaseline(io: VerifyIO, exp: VerifyExpectations): Promise<{ baseline: VerifyBaseline; failing: string[] }> {
  const results = await runChecks(io, exp, () => undefined);
  return { baseline: baselineOf(results), failing: results.filter((r) => !r.passed).map((r) => `${checkLabel(r)}: ${r.detail}`) };
}

/**
 * What the verification says, as the engine's events of those two types (an event channel's `emit` is one). Typed
 * here, so that verify/ needs nothing of the engine's whole event union, which itself shows verification's results.
 */
export type VerifyEmit = (e:
  | ({ type: 'verify.check' } & Omit<JudgedCheck, 'key'>)
  | { type: 'notice'; level: LogLevel; message: string }) => void;

export async function runVerification(io: VerifyIO & { emit: VerifyEmit }, exp: VerifyExpectations): Promise<VerifyOutcome> {
  const checks: JudgedCheck[] = [];
  await runChecks(io, exp, (result) => {
    const c = judgeCheck(result, exp.baseline);
    checks.push(c);
    io.emit({ type: 'verify.check', check: c.check, container: c.container, ok: c.ok, passed: c.passed, failure: c.failure, baseline: c.baseline, baselineDetail: c.baselineDetail, detail: c.detail });
  });
  const same = checks.filter((c) => c.baseline === 'failed-same');
  if (same.length) {
    io.emit({ type: 'notice', level: 'warn', message: alreadyFailingSentence(alreadyFailing(same)) });
  }
  const failures = checks.filter((c) => !c.ok).map(checkLine);
  return { ok: failures.length === 0, failures, checks, summary: verifySummary(checks) };
}
