// The Plan: what an upgrade will do, as plain data. `reconcile()` builds it from an observed snapshot and a target;
// the executor follows `operations` without making decisions; `planToText()` is stable so planner tests compare text.
import { identityText, type ReleaseIdentity } from './release-identity.js';
import { operationTarget, type Operation, type OperationKind } from './operation.js';
import type { PendingRevision } from '../alembic/graph.js';
import type { DeployChange } from '../deploy-migrations/types.js';
import type { ReleaseNotes } from '../changelog/release-notes.js';

// Owned where they are made (the Alembic graph, the deployment migrations, the changelog); the plan shows them.
export type { PendingRevision } from '../alembic/graph.js';
export type { DeployChange } from '../deploy-migrations/types.js';
export type { ReleaseNoteEntry, ReleaseNotes } from '../changelog/release-notes.js';

export type { Operation, OperationKind } from './operation.js';

export type ServiceAction = 'recreate' | 'create' | 'restart' | 'keep';

export interface ServiceChange {
  service: string;
  container: string;
  action: ServiceAction;
  fromImage: string | null;
  toImage: string;
  fromVersion: string | null;
  toVersion: string | null;
  /** Where the new container's config comes from: the target compose file, or the running container's (kept). */
  config?: 'compose' | 'kept';
  /** The container fields the upgrade's edits change in the compose file (why it is created from the file). */
  changedFields?: string[];
}

export interface MigrationPlan {
  /** Revisions in `alembic_version` now (empty: fresh database; null: could not be read). */
  current: string[] | null;
  targetHeads: string[];
  /** In the order Alembic will apply them (parents before children, merges after both branches). */
  pending: PendingRevision[];
}

export interface Plan {
  project: { name: string; dir: string; files: string[] };
  fromVersion: string | null;
  toVersion: string;
  /** What the running and the target release are known by (GlowWorm's images carry no version label). */
  identity?: { from: ReleaseIdentity; to: ReleaseIdentity };
  services: ServiceChange[];
  images: { ref: string; reason: string }[];
  migrations: MigrationPlan;
  deployChanges: DeployChange[];
  releaseNotes: ReleaseNotes | null;
  operations: Operation[];
  warnings: string[];
  /**
   * The backend already crash-loops here on the very image the plan goes to (someone pulled it and `compose up`'d):
   * upgrading to it again fails the same way. Unattended (--yes), the CLI refuses it without --force.
   */
  crashLoopingTarget?: { service: string; image: string; restarts: number };
}

/**
 * Whether the user may still ask, at the plan, for a rehearsal: there are migrations to rehearse, a verified backup
 * to rehearse them on, and none is planned yet.
 */
export function canRehearse(plan: Plan): boolean {
  const has = (kind: OperationKind) => plan.operations.some((o) => o.kind === kind);
  return plan.migrations.pending.length > 0 && has('verify-backup') && !has('rehearse');
}

export function planToText(plan: Plan): string {
  const lines: string[] = [];
  lines.push(`Upgrade ${plan.project.name} (${plan.project.dir}): ${plan.fromVersion ?? 'unknown'} -> ${plan.toVersion}`);
  if (plan.identity) {
    lines.push(`  now:    ${identityText(plan.identity.from)}`);
    lines.push(`  target: ${identityText(plan.identity.to)}`);
  }
  lines.push('Services:');
  for (const s of plan.services) {
    const from = s.config === 'compose' && s.action === 'recreate' ? ` (from the compose file: ${s.changedFields?.join(', ') ?? 'new definition'})` : '';
    lines.push(`  ${s.action.padEnd(8)} ${s.service} ${s.fromImage ?? '-'} -> ${s.toImage}${from}`);
  }
  lines.push('Images to pull:');
  for (const i of plan.images) lines.push(`  ${i.ref} (${i.reason})`);
  if (plan.images.length === 0) lines.push('  none');
  const m = plan.migrations;
  lines.push(`Database: ${m.current === null ? 'unknown' : m.current.join(',') || 'empty'} -> ${m.targetHeads.join(',')}`);
  for (const r of m.pending) lines.push(`  ${r.id}${r.isMerge ? ' (merge)' : ''}: ${r.message}`);
  if (m.pending.length === 0) lines.push('  no pending migrations');
  const notes = plan.releaseNotes;
  if (notes) {
    lines.push(`Release notes (${notes.from ?? '?'} -> ${notes.to}):`);
    if (notes.missing) lines.push(`  ${notes.missing}`);
    for (const e of notes.breaking) lines.push(`  BREAKING ${e.scope ? `${e.scope}: ` : ''}${e.subject}${e.breakingReason ? ` (${e.breakingReason})` : ''}`);
    for (const e of notes.entries.filter((x) => !x.breaking)) lines.push(`  ${e.section}: ${e.scope ? `${e.scope}: ` : ''}${e.subject}`);
  }
  lines.push('Deployment changes:');
  for (const d of plan.deployChanges) {
    lines.push(`  ${d.name}: ${d.description}`);
    for (const n of d.notes ?? []) lines.push(`    note: ${n}`);
  }
  if (plan.deployChanges.length === 0) lines.push('  none');
  lines.push('Operations:');
  plan.operations.forEach((op, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${op.kind} ${operationTarget(op)} (${op.cause})`));
  for (const w of plan.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}
