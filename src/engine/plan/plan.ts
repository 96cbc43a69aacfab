// The Plan: what an upgrade will do, as plain data. `reconcile()` builds it from an observed snapshot and a target;
// the executor follows `operations` without making decisions; `planToText()` is stable so planner tests compare text.
import { identityText, type ReleaseIdentity } from './release-identity.js';

export type OperationType =
  | 'prepare'
  | 'stop'
  | 'backup'
  | 'verify-backup'
  | 'rehearse'
  | 'apply-deploy-migration'
  | 'recreate'
  | 'wait-migrations'
  | 'start'
  | 'wait-healthy'
  | 'verify'
  | 'commit';

export interface Operation {
  type: OperationType;
  /** What it acts on, e.g. `service:glowworm-backend`, `image:127.0.0.1:5000/glowworm/backend:1.1.0`, `db:glowworm`. */
  resource: string;
  /** Why it is in the plan, in words a user understands. */
  cause: string;
}

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

export interface PendingRevision {
  id: string;
  message: string;
  downRevisions: string[];
  isMerge: boolean;
}

export interface MigrationPlan {
  /** Revisions in `alembic_version` now (empty: fresh database; null: could not be read). */
  current: string[] | null;
  targetHeads: string[];
  /** In the order Alembic will apply them (parents before children, merges after both branches). */
  pending: PendingRevision[];
}

export interface DeployChange {
  name: string;
  description: string;
  /** Unified diff of the compose file and `.env` (secret values redacted). */
  diff: string;
  /** What the user should know about it (what was kept and why, what to check afterwards). */
  notes?: string[];
}

export interface ReleaseNoteEntry {
  section: string;
  scope: string | null;
  subject: string;
  hash: string | null;
  breaking: boolean;
  /** Why we call it breaking when no commit said so, e.g. "needs a deployment migration". */
  breakingReason?: string;
}

export interface ReleaseNotes {
  from: string | null;
  to: string;
  breaking: ReleaseNoteEntry[];
  entries: ReleaseNoteEntry[];
  /** Set when the image carries no notes; the upgrade goes on. */
  missing?: string;
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
}

/**
 * Whether the user may still ask, at the plan, for a rehearsal: there are migrations to rehearse, a verified backup
 * to rehearse them on, and none is planned yet.
 */
export function canRehearse(plan: Plan): boolean {
  const has = (type: OperationType) => plan.operations.some((o) => o.type === type);
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
  plan.operations.forEach((op, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${op.type} ${op.resource} (${op.cause})`));
  for (const w of plan.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}
