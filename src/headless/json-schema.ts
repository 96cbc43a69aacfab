// The public NDJSON schema (`--json`): one object per line on stdout. Versioned separately from the engine's events
// so scripts keep working when the engine changes: `v` is bumped only for incompatible changes, and every engine
// event is mapped here explicitly (the `never` check makes a new event fail to compile until it is mapped).
import { assertNever, type EngineEvent } from '../engine/events.js';

// Added within version 1 (additive, so `v` stays): verify.check's `container`, `passed`, `failure`, `baseline` and
// `baselineDetail`, step.skipped's `title` (docs/json-events.md). `ok` still means "does not fail the run"; `passed` says whether the check
// itself passed, which differs for a check already failing the same way before the upgrade.
export const JSON_SCHEMA_VERSION = 1;

/** Each engine event without its numeric `ts`, with `v` and an ISO `time` (distributive: each keeps its own fields). */
export type JsonEvent = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'ts'> & { v: typeof JSON_SCHEMA_VERSION; time: string } : never) : never;

export function toJsonEvent(event: EngineEvent): JsonEvent {
  const { ts, ...rest } = event;
  const base = { v: JSON_SCHEMA_VERSION, time: new Date(ts).toISOString() } as const;
  switch (rest.type) {
    case 'run.started':
    case 'step.started':
    case 'step.completed':
    case 'step.skipped':
    case 'step.failed':
    case 'notice':
    case 'plan.ready':
    case 'pull.progress':
    case 'pull.completed':
    case 'backup.progress':
    case 'backup.completed':
    case 'backup.verified':
    case 'container.state':
    case 'log.line':
    case 'migration.applied':
    case 'migration.failed':
    case 'deploy-migration.applied':
    case 'schema.half-applied':
    case 'verify.check':
    case 'rehearsal.migration':
    case 'rehearsal.completed':
    case 'rollback.started':
    case 'rollback.completed':
    case 'upgrade.completed':
    case 'upgrade.failed':
    case 'run.finished':
      return { ...base, ...rest } as JsonEvent;
    default:
      return assertNever(rest);
  }
}
