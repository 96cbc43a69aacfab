// Pending Alembic revisions as a checklist: seeded from the plan, ticked by `migration.applied`, crossed by
// `migration.failed`. Runs without a plan (doctor's migrate, reset from zero) grow the list as revisions apply.
import type { EventOf } from '../../engine/events.js';
import type { PendingRevision } from '../../engine/plan/plan.js';

export type MigrationMark = 'pending' | 'applied' | 'failed';

export interface MigrationRow {
  revision: string;
  message: string | null;
  isMerge: boolean;
  mark: MigrationMark;
  /** Why it failed, from the backend's ❌ block. */
  failure: string | null;
}

export function checklistFromPlan(pending: readonly PendingRevision[]): MigrationRow[] {
  return pending.map((r) => ({ revision: r.id, message: r.message, isMerge: r.isMerge, mark: 'pending', failure: null }));
}

export function markApplied(rows: readonly MigrationRow[], e: EventOf<'migration.applied'>): MigrationRow[] {
  const isMerge = (e.from ?? '').includes(',');
  if (!rows.some((r) => r.revision === e.revision)) {
    return [...rows, { revision: e.revision, message: e.message, isMerge, mark: 'applied', failure: null }];
  }
  return rows.map((r) => (r.revision === e.revision ? { ...r, mark: 'applied', message: r.message ?? e.message } : r));
}

/** A failure without a revision (the backend did not say which) crosses the first revision still pending. */
export function markFailed(rows: readonly MigrationRow[], e: EventOf<'migration.failed'>): MigrationRow[] {
  const target = e.revision ?? rows.find((r) => r.mark === 'pending')?.revision ?? null;
  if (target === null) return [...rows, { revision: '(unknown revision)', message: null, isMerge: false, mark: 'failed', failure: e.message }];
  if (!rows.some((r) => r.revision === target)) {
    return [...rows, { revision: target, message: null, isMerge: false, mark: 'failed', failure: e.message }];
  }
  return rows.map((r) => (r.revision === target ? { ...r, mark: 'failed', failure: e.message } : r));
}
