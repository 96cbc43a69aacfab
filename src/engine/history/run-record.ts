// What a run's events say about it that its journal does not keep: each migration's duration, the downtime, how it
// ended. The journal is the runbook's (what ran, to resume or roll back) and is left as it is; a RunRecorder taps the
// same event stream the output writers read (already redacted) and writes `.glowworm/history/<runId>.json` when the
// run finishes, for `glowworm history`.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import type { CommandName, EngineEvent, RunOutcome } from '../events.js';

export interface MigrationTiming {
  revision: string;
  message: string | null;
  durationMs: number;
  ok: boolean;
}

export interface RunRecord {
  format: 1;
  runId: string;
  command: CommandName;
  projectDir: string;
  startedAt: string;
  endedAt: string;
  outcome: RunOutcome;
  fromVersion: string | null;
  toVersion: string | null;
  durationMs: number;
  downtimeMs: number | null;
  backupPath: string | null;
  /** The revision that failed (in production or in the rehearsal), and the database's error. */
  failedRevision: string | null;
  error: string | null;
  /** Where things stand after a failure, in the engine's words. */
  state: string | null;
  /** Revisions applied in production, each timed from the previous one (the first from its step's start). */
  migrations: MigrationTiming[];
  /** Revisions applied on the rehearsal copy (`--rehearse`). */
  rehearsal: MigrationTiming[];
}

/** What a run did, as `history` lists it and a notification tells it. */
export type RunFacts = Pick<RunRecord, 'fromVersion' | 'toVersion' | 'durationMs' | 'downtimeMs' | 'backupPath' | 'failedRevision' | 'error'>;

export function historyDir(projectDir: string): string {
  return join(projectDir, '.glowworm', 'history');
}

export class RunRecorder {
  private record: Partial<RunRecord> & { migrations: MigrationTiming[]; rehearsal: MigrationTiming[] } = { migrations: [], rehearsal: [] };
  private startedTs = 0;
  private readonly stepStarted = new Map<string, number>();
  private lastTick: number | null = null;

  /** Learn from one event; returns the finished record on `run.finished`. */
  see(e: EngineEvent): RunRecord | null {
    const r = this.record;
    switch (e.type) {
      case 'run.started':
        this.startedTs = e.ts;
        Object.assign(r, { format: 1, runId: e.runId, command: e.command, projectDir: e.projectDir, startedAt: new Date(e.ts).toISOString() });
        break;
      case 'step.started':
        this.stepStarted.set(e.step, e.ts);
        break;
      case 'plan.ready':
        r.fromVersion = e.plan.fromVersion;
        r.toVersion = e.plan.toVersion;
        break;
      case 'migration.applied':
      case 'migration.failed': {
        const since = this.lastTick ?? this.stepStarted.get(e.step) ?? this.startedTs;
        this.lastTick = e.ts;
        const ok = e.type === 'migration.applied';
        r.migrations.push({ revision: e.revision ?? 'unknown', message: ok ? e.message : null, durationMs: Math.max(0, e.ts - since), ok });
        if (!ok) {
          r.failedRevision = e.revision;
          r.error = e.message;
        }
        break;
      }
      case 'rehearsal.migration':
        r.rehearsal.push({ revision: e.revision, message: e.message, durationMs: e.durationMs, ok: e.ok });
        break;
      case 'rehearsal.completed':
        if (!e.ok) {
          r.failedRevision = e.failedRevision;
          r.error = e.error;
        }
        break;
      case 'backup.completed':
        r.backupPath ??= e.path;
        break;
      case 'upgrade.completed':
        Object.assign(r, { fromVersion: e.fromVersion, toVersion: e.toVersion, downtimeMs: e.downtimeMs, backupPath: e.backupPath ?? r.backupPath ?? null });
        break;
      case 'upgrade.failed':
        r.error ??= e.error.message;
        r.state = e.state;
        break;
      case 'run.finished':
        return {
          format: 1, runId: e.runId, command: r.command ?? 'upgrade', projectDir: r.projectDir ?? '', startedAt: r.startedAt ?? new Date(e.ts).toISOString(),
          endedAt: new Date(e.ts).toISOString(), outcome: e.outcome, fromVersion: r.fromVersion ?? null, toVersion: r.toVersion ?? null,
          durationMs: e.ts - (this.startedTs || e.ts), downtimeMs: r.downtimeMs ?? null, backupPath: r.backupPath ?? null,
          failedRevision: r.failedRevision ?? null, error: r.error ?? null, state: r.state ?? null, migrations: r.migrations, rehearsal: r.rehearsal,
        };
      default:
        break;
    }
    return null;
  }
}

/**
 * Kept beside the journals: only where the run made `.glowworm/` (a run refused before it had a project, say a
 * `--project-dir` that does not exist, must not create one). Returns whether it was written.
 */
export async function writeRunRecord(record: RunRecord): Promise<boolean> {
  try {
    await mkdir(historyDir(record.projectDir), { mode: 0o700 }); // not recursive: .glowworm/ must be there already
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code !== 'EEXIST') throw error;
  }
  await writeFileAtomic(join(historyDir(record.projectDir), `${record.runId}.json`), JSON.stringify(record, null, 2) + '\n');
  return true;
}

/** Every record of the project by run id; an unreadable one is left out (the journal still lists its run). */
export async function readRunRecords(projectDir: string): Promise<Map<string, RunRecord>> {
  const out = new Map<string, RunRecord>();
  let names: string[];
  try {
    names = (await readdir(historyDir(projectDir))).filter((n) => n.endsWith('.json'));
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      const record = JSON.parse(await readFile(join(historyDir(projectDir), name), 'utf8')) as RunRecord;
      if (record.format === 1 && record.runId) out.set(record.runId, record);
    } catch {
      // a half-written or hand-edited record: skip it
    }
  }
  return out;
}
