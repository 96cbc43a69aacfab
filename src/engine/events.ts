// The one event stream (design.md rule 4). The engine emits these; the TUI, the plain writer and the NDJSON writer
// consume them. Consumers switch on `type` with an exhaustiveness check (`assertNever`), so adding an event here fails
// to compile until every consumer handles it. The public NDJSON schema is a separate, versioned type in src/headless.

import type { ErrorInfo } from './errors.js';
import type { Plan } from './plan/plan.js';
import type { HalfApplied } from './verify/half-applied.js';

// The words lower modules speak too live with them: a command's name and a log level (event-words.ts), a check and
// its verdict (verify/check-result.ts).
export type { CommandName, LogLevel } from './event-words.js';
export type { BaselineVerdict, VerifyCheck } from './verify/check-result.js';
import type { CommandName, LogLevel } from './event-words.js';
import type { BaselineVerdict, VerifyCheck } from './verify/check-result.js';

interface Base {
  runId: string;
  /** The step this event belongs to (`pull`, `backup`, `recreate:glowworm-backend`, …); `run` for run-level events. */
  step: string;
  /** Milliseconds since the epoch. */
  ts: number;
}

export type EngineEvent =
  | (Base & { type: 'run.started'; command: CommandName; projectDir: string; resumed: boolean })
  | (Base & { type: 'step.started'; title: string })
  | (Base & { type: 'step.completed'; durationMs: number; summary?: string })
  /** `title` as `step.started` would have named it: a skipped step never starts, and its id is no text for a person. */
  | (Base & { type: 'step.skipped'; title: string; reason: string })
  | (Base & { type: 'step.failed'; durationMs: number; error: ErrorInfo })
  | (Base & { type: 'notice'; level: LogLevel; message: string })
  | (Base & { type: 'plan.ready'; plan: Plan; text: string })
  | (Base & {
      type: 'pull.progress';
      image: string;
      layer: string;
      status: string;
      current?: number;
      total?: number;
    })
  | (Base & { type: 'pull.completed'; image: string; digest: string | null })
  /** At most ten a second (backup/progress.ts); total is the estimated SQL bytes, etaSeconds from the rate so far. */
  | (Base & { type: 'backup.progress'; bytes: number; total?: number | null; etaSeconds?: number | null })
  | (Base & {
      type: 'backup.completed';
      path: string;
      sha256: string;
      bytes: number;
      tables: number;
      rows: number;
    })
  | (Base & { type: 'backup.verified'; path: string; tables: number; checksumsMatch: boolean })
  | (Base & {
      type: 'container.state';
      service: string;
      container: string;
      state: string;
      health: string | null;
      restartCount: number;
    })
  | (Base & { type: 'log.line'; service: string; stream: 'stdout' | 'stderr'; text: string; level: LogLevel })
  | (Base & { type: 'migration.applied'; revision: string; from: string | null; message: string | null })
  | (Base & { type: 'migration.failed'; revision: string | null; message: string })
  | (Base & { type: 'deploy-migration.applied'; name: string; direction: 'up' | 'down' })
  | (Base & { type: 'schema.half-applied' } & HalfApplied)
  | (Base & {
      type: 'verify.check';
      check: VerifyCheck;
      /** The container a `container-health` check is about; null for the other checks. */
      container: string | null;
      /** This check does not fail the run: it passed, or it fails exactly as it did before the upgrade. */
      ok: boolean;
      /** The check itself passed now. */
      passed: boolean;
      /** How it failed, stable from run to run (`unhealthy`, `http-500`, …); null when it passed. */
      failure: string | null;
      baseline: BaselineVerdict;
      /** What the check said before the upgrade, when it failed then; null otherwise. */
      baselineDetail: string | null;
      detail: string;
    })
  /** A revision applied (or failed) on the rehearsal copy; durationMs from its start to the next step's. */
  | (Base & { type: 'rehearsal.migration'; revision: string; message: string | null; durationMs: number; ok: boolean })
  | (Base & {
      type: 'rehearsal.completed';
      ok: boolean;
      durationMs: number;
      failedRevision: string | null;
      error: string | null;
    })
  | (Base & { type: 'rollback.started'; reason: string })
  | (Base & { type: 'rollback.completed'; restoredDatabase: boolean; ok: boolean })
  | (Base & {
      type: 'upgrade.completed';
      fromVersion: string | null;
      toVersion: string;
      durationMs: number;
      downtimeMs: number;
      backupPath: string | null;
    })
  | (Base & {
      type: 'upgrade.failed';
      error: ErrorInfo;
      rolledBack: boolean;
      /** Where things stand, in words: "running 1.1.0 again, database restored from …". */
      state: string;
    })
  | (Base & { type: 'run.finished'; ok: boolean; outcome: RunOutcome });

/**
 * How a run ended, for the CLI's exit code (docs/exit-codes.md):
 * - ok; failed-rolled-back: failed, and everything was put back; needs-attention: failed and NOT fully put back;
 * - usage: bad input or a precondition the user can fix; external: Docker/registry/DB failed before anything changed;
 * - bug; locked: another run holds the project; aborted: stopped by the user (resumable).
 */
export type RunOutcome =
  | 'ok'
  | 'failed-rolled-back'
  | 'needs-attention'
  | 'usage'
  | 'external'
  | 'bug'
  | 'locked'
  | 'aborted';

export type EngineEventType = EngineEvent['type'];

export type EventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;

/** Distributive Omit, so a payload keeps its link to its `type`. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What an engine step passes to `emit`: the event without the envelope the emitter fills in. */
export type EventPayload = DistributiveOmit<EngineEvent, 'runId' | 'ts' | 'step'> & { step?: string };

/** An `upgrade.completed` of a run that found nothing to do: the same version, and no downtime. */
export function wasUpToDate(e: Pick<EventOf<'upgrade.completed'>, 'fromVersion' | 'toVersion' | 'downtimeMs'>): boolean {
  return e.fromVersion === e.toVersion && e.downtimeMs === 0;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled event: ${JSON.stringify(value)}`);
}
