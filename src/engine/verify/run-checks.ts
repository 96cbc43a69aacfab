// Verification after an upgrade (and after a rollback, of the old version): every check emits a `verify.check`
// event; the run fails if any check fails. Each check says what it compared, so a failure is actionable.
import type { DockerPort } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions, listTables } from '../db/schema.js';
import type { Emit } from '../event-channel.js';
import type { VerifyCheck } from '../events.js';
import type { Redactor } from '../secrets.js';
import { backendHealth } from './http-probe.js';
import { probeSettingsApi } from './settings-probe.js';
import { waitHealthy } from './wait-healthy.js';

export interface VerifyExpectations {
  backend: string;
  /** App containers that must be running (and healthy where they have a healthcheck). */
  containers: string[];
  heads: string[];
  tables: string[];
  creds: DbCredentials;
  healthTimeoutMs?: number;
  /** False after a reset: an empty database has no admin to ask the settings API as. */
  settingsApi?: boolean;
}

export interface VerifyOutcome {
  ok: boolean;
  failures: string[];
}

function sameSet(a: string[], b: string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((v, i) => v === sortedB[i]);
}

export async function runVerification(
  io: { docker: DockerPort; emit: Emit; redactor: Redactor; signal?: AbortSignal },
  exp: VerifyExpectations,
): Promise<VerifyOutcome> {
  const failures: string[] = [];
  const report = (check: VerifyCheck, ok: boolean, detail: string) => {
    io.emit({ type: 'verify.check', check, ok, detail });
    if (!ok) failures.push(`${check}: ${detail}`);
  };
  const guard = async (check: VerifyCheck, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      report(check, false, (error as Error).message);
    }
  };

  await guard('container-health', async () => {
    for (const name of exp.containers) {
      const c = await waitHealthy(io.docker, name, { timeoutMs: exp.healthTimeoutMs ?? 120_000, signal: io.signal });
      report('container-health', true, `${name}: running${c.health ? `, ${c.health}` : ''}`);
    }
  });

  await guard('http-health', async () => {
    const { healthy, detail } = await backendHealth(io.docker, exp.backend);
    report('http-health', healthy, detail);
  });

  await guard('alembic-head', () =>
    withDb(exp.creds, async (db) => {
      const current = await alembicRevisions(db);
      const ok = sameSet(current, exp.heads);
      report('alembic-head', ok, ok ? `alembic_version is ${current.join(', ')}, as expected` : `alembic_version is ${current.join(', ') || 'empty'}, expected ${exp.heads.join(', ')}`);
    }),
  );

  await guard('schema', () =>
    withDb(exp.creds, async (db) => {
      const present = new Set(await listTables(db));
      const missing = exp.tables.filter((t) => !present.has(t));
      report('schema', missing.length === 0, missing.length ? `missing tables: ${missing.join(', ')}` : `all ${exp.tables.length} expected tables present`);
    }),
  );

  if (exp.settingsApi !== false) await guard('settings-api', () =>
    withDb(exp.creds, async (db) => {
      const r = await probeSettingsApi({ docker: io.docker, backend: exp.backend, db, redactor: io.redactor });
      report('settings-api', r.ok, r.detail);
    }),
  );

  return { ok: failures.length === 0, failures };
}
