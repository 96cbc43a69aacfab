// What one upgrade run knows about itself beyond the plan: which container a service is, the backup it took (from
// the journal), and which of its operations have run. The journal answers these; nothing matches step-id strings.
import { loadManifest } from '../backup/store.js';
import { operationTarget, type Operation, type OperationKind } from '../plan/operation.js';
import { STATE, type BackupState, type UpgradeRun } from './upgrade-run.js';

export function containerOf(run: Pick<UpgradeRun, 'plan' | 'observed'>, service: string): string {
  return run.plan.services.find((s) => s.service === service)?.container ?? run.observed.services[service]?.containerName ?? service;
}

export type BackupTaken = { file: string; manifest: NonNullable<Awaited<ReturnType<typeof loadManifest>>> };

export async function backupState(run: Pick<UpgradeRun, 'journal'>): Promise<BackupTaken | null> {
  const b = run.journal.state<BackupState>(STATE.backup);
  if (!b) return null;
  const manifest = await loadManifest(b.file);
  return manifest ? { file: b.file, manifest } : null;
}

/**
 * Operations that work on the throwaway server holding the verified backup: the verification restores into it, the
 * catch-up brings it to the stop, a rehearsal without a copy of its own migrates it.
 */
export function usesVerifiedCopy(op: Operation): boolean {
  return op.kind === 'verify-backup' || op.kind === 'catch-up' || (op.kind === 'rehearse' && !op.ownCopy);
}

/** The journal's id of the plan's operation at `index`: `05-recreate:glowworm-backend`. */
export function stepId(op: Operation, index: number): string {
  return `${String(index + 1).padStart(2, '0')}-${op.kind}:${operationTarget(op)}`;
}

/** The plan's operations with their step ids. */
export function planSteps(plan: UpgradeRun['plan']): { op: Operation; id: string }[] {
  return plan.operations.map((op, i) => ({ op, id: stepId(op, i) }));
}

/** Operations that began (started, completed or failed: their effects may be there), in plan order. */
export function operationsRun(run: Pick<UpgradeRun, 'plan' | 'journal'>): Operation[] {
  return planSteps(run.plan).filter(({ id }) => run.journal.ran(id)).map(({ op }) => op);
}

export function completed(run: Pick<UpgradeRun, 'plan' | 'journal'>, kind: OperationKind): boolean {
  return planSteps(run.plan).some(({ op, id }) => op.kind === kind && run.journal.isCompleted(id));
}

/**
 * Whether the run has begun to change the database or the user's files: it wrote the files, or started a process
 * that writes the database (the new backend migrates it, a worker writes to it). Before that, putting the containers
 * back is all it takes to be where the user was.
 */
export function touchedDataOrFiles(run: Pick<UpgradeRun, 'plan' | 'journal'>): boolean {
  return startedAWriter(run) || operationsRun(run).some((op) => op.kind === 'apply-deploy-migration');
}

/** A writer of the database (the new backend, a worker) was started by this run. */
export function startedAWriter(run: Pick<UpgradeRun, 'plan' | 'journal'>): boolean {
  return operationsRun(run).some((op) => op.kind === 'start' && op.writes);
}
