// Events → view state for any engine run (upgrade, migrate, backup, restore, reset). Pure: the screens render a
// RunView, the hooks feed events in. Every event type is handled here or the `assertNever` stops the build.
import type { HalfApplied } from '../../engine/api.js';
import type { ErrorInfo } from '../../engine/errors.js';
import { assertNever, type BaselineVerdict, type CommandName, type EngineEvent, type LogLevel, type RunOutcome, type VerifyCheck } from '../../engine/events.js';
import { checkKey } from '../../engine/verify/check-result.js';
import type { Plan } from '../../engine/plan/plan.js';
import { formatDuration } from './format.js';
import { appendLogLines, emptyLogBuffer, type LogBuffer, type NewLogLine } from './log-buffer.js';
import { checklistFromPlan, markApplied, markFailed, type MigrationRow } from './migration-checklist.js';
import { applyPullCompleted, applyPullProgress, type PullView } from './pull-progress.js';
import { NO_STEPS, stepCompleted, stepFailed, stepSkipped, stepStarted, type StepsView } from './step-list.js';

export interface VerifyRow {
  /** `settings-api`, `container-health:glowworm-backend`: one row per check and container. */
  key: string;
  check: VerifyCheck;
  container: string | null;
  /** The check passed now. A check already failing before the upgrade is not ok, though it does not fail the run. */
  ok: boolean;
  failsRun: boolean;
  baseline: BaselineVerdict;
  baselineDetail: string | null;
  detail: string;
}

export interface ContainerView {
  service: string;
  container: string;
  state: string;
  health: string | null;
  restartCount: number;
}

export interface BackupView {
  bytes: number;
  /** While dumping: the expected SQL bytes and the seconds left at the rate so far (null until known). */
  total: number | null;
  etaSeconds: number | null;
  path: string | null;
  sha256: string | null;
  tables: number | null;
  rows: number | null;
  /** null until the throwaway-restore check reports. */
  verified: boolean | null;
}

export interface NoticeView {
  level: LogLevel;
  message: string;
}

export interface RollbackView {
  reason: string;
  ok: boolean | null;
  restoredDatabase: boolean | null;
}

export type UpgradeResult =
  | { kind: 'upgraded'; fromVersion: string | null; toVersion: string; durationMs: number; downtimeMs: number; backupPath: string | null }
  | { kind: 'failed'; error: ErrorInfo; rolledBack: boolean; state: string };

export interface RunView {
  runId: string | null;
  command: CommandName | null;
  projectDir: string | null;
  resumed: boolean;
  startedAt: number | null;
  /** The `step` of the newest event: `observe`, `preflight`, `plan`, a runbook step id… */
  activeStep: string | null;
  steps: StepsView;
  pulls: PullView[];
  plan: Plan | null;
  migrations: MigrationRow[];
  deployMigrations: { name: string; direction: 'up' | 'down' }[];
  /** A failed migration's DDL left behind (diagnosed before the rollback restores the backup). */
  halfApplied: HalfApplied | null;
  verify: VerifyRow[];
  containers: ContainerView[];
  backup: BackupView | null;
  logs: LogBuffer;
  /** Error lines only, kept apart so the failure screen can show them after the pane has scrolled on. */
  errorLogs: LogBuffer;
  notices: NoticeView[];
  rollback: RollbackView | null;
  result: UpgradeResult | null;
  finished: { ok: boolean; outcome: RunOutcome } | null;
}

export const MAX_NOTICES = 50;
export const ERROR_LOG_CAPACITY = 40;

export function initialRunView(logCapacity?: number): RunView {
  return {
    runId: null, command: null, projectDir: null, resumed: false, startedAt: null, activeStep: null,
    steps: NO_STEPS, pulls: [], plan: null, migrations: [], deployMigrations: [], halfApplied: null, verify: [], containers: [],
    backup: null, logs: emptyLogBuffer(logCapacity), errorLogs: emptyLogBuffer(ERROR_LOG_CAPACITY), notices: [],
    rollback: null, result: null, finished: null,
  };
}

function upsertContainer(list: readonly ContainerView[], next: ContainerView): ContainerView[] {
  const i = list.findIndex((c) => c.service === next.service);
  return i === -1 ? [...list, next] : list.map((c, j) => (j === i ? next : c));
}

/** One event. For log floods use `reduceRunEvents`, which appends a batch of lines in one copy. */
export function reduceRunEvent(view: RunView, e: EngineEvent): RunView {
  const v: RunView = view.activeStep === e.step ? view : { ...view, activeStep: e.step };
  switch (e.type) {
    case 'run.started':
      return { ...v, runId: e.runId, command: e.command, projectDir: e.projectDir, resumed: e.resumed, startedAt: e.ts };
    case 'step.started':
      return { ...v, steps: stepStarted(v.steps, e) };
    case 'step.completed':
      return { ...v, steps: stepCompleted(v.steps, e) };
    case 'step.skipped':
      return { ...v, steps: stepSkipped(v.steps, e) };
    case 'step.failed':
      return { ...v, steps: stepFailed(v.steps, e) };
    case 'notice':
      return { ...v, notices: [...v.notices, { level: e.level, message: e.message }].slice(-MAX_NOTICES) };
    case 'plan.ready':
      return { ...v, plan: e.plan, migrations: checklistFromPlan(e.plan.migrations.pending) };
    case 'pull.progress':
      return { ...v, pulls: applyPullProgress(v.pulls, e) };
    case 'pull.completed':
      return { ...v, pulls: applyPullCompleted(v.pulls, e) };
    case 'backup.progress':
      return { ...v, backup: { ...(v.backup ?? noBackupYet()), bytes: e.bytes, total: e.total ?? null, etaSeconds: e.etaSeconds ?? null } };
    case 'backup.completed':
      return { ...v, backup: { ...(v.backup ?? noBackupYet()), bytes: e.bytes, path: e.path, sha256: e.sha256, tables: e.tables, rows: e.rows } };
    case 'backup.verified':
      return { ...v, backup: { ...(v.backup ?? noBackupYet()), path: e.path, verified: e.checksumsMatch } };
    case 'container.state':
      return { ...v, containers: upsertContainer(v.containers, { service: e.service, container: e.container, state: e.state, health: e.health, restartCount: e.restartCount }) };
    case 'log.line':
      return withLogLines(v, [{ service: e.service, text: e.text, level: e.level, ts: e.ts }]);
    case 'migration.applied':
      return { ...v, migrations: markApplied(v.migrations, e) };
    case 'migration.failed':
      return { ...v, migrations: markFailed(v.migrations, e) };
    case 'deploy-migration.applied':
      return { ...v, deployMigrations: [...v.deployMigrations, { name: e.name, direction: e.direction }] };
    case 'schema.half-applied':
      return { ...v, halfApplied: { revision: e.revision, message: e.message, present: e.present, absent: e.absent, preexisting: e.preexisting, options: e.options } };
    case 'rehearsal.migration':
    case 'rehearsal.completed': {
      // Shown with the notices until the run screen gives the rehearsal a section of its own.
      const message = e.type === 'rehearsal.migration'
        ? `rehearsal ${e.ok ? '✔' : '✘'} ${e.revision} (${formatDuration(e.durationMs)})`
        : e.ok ? 'rehearsal passed' : `rehearsal failed${e.failedRevision ? ` in ${e.failedRevision}` : ''}: ${e.error ?? ''}`;
      return { ...v, notices: [...v.notices, { level: e.ok ? ('info' as const) : ('error' as const), message }].slice(-MAX_NOTICES) };
    }
    case 'verify.check': {
      const row: VerifyRow = {
        key: checkKey(e), check: e.check, container: e.container, ok: e.passed, failsRun: !e.ok,
        baseline: e.baseline, baselineDetail: e.baselineDetail, detail: e.detail,
      };
      return { ...v, verify: [...v.verify.filter((c) => c.key !== row.key), row] };
    }
    case 'rollback.started':
      return { ...v, rollback: { reason: e.reason, ok: null, restoredDatabase: null } };
    case 'rollback.completed':
      return { ...v, rollback: { reason: v.rollback?.reason ?? '', ok: e.ok, restoredDatabase: e.restoredDatabase } };
    case 'upgrade.completed':
      return { ...v, result: { kind: 'upgraded', fromVersion: e.fromVersion, toVersion: e.toVersion, durationMs: e.durationMs, downtimeMs: e.downtimeMs, backupPath: e.backupPath } };
    case 'upgrade.failed':
      return { ...v, result: { kind: 'failed', error: e.error, rolledBack: e.rolledBack, state: e.state } };
    case 'run.finished':
      return { ...v, finished: { ok: e.ok, outcome: e.outcome } };
    default:
      return assertNever(e);
  }
}

function noBackupYet(): BackupView {
  return { bytes: 0, total: null, etaSeconds: null, path: null, sha256: null, tables: null, rows: null, verified: null };
}

function withLogLines(v: RunView, lines: NewLogLine[]): RunView {
  const errors = lines.filter((l) => l.level === 'error');
  return { ...v, logs: appendLogLines(v.logs, lines), errorLogs: errors.length ? appendLogLines(v.errorLogs, errors) : v.errorLogs };
}

/** A batch of events in order; runs of `log.line` are appended in one go, so a flood costs O(batch + capacity). */
export function reduceRunEvents(view: RunView, events: readonly EngineEvent[]): RunView {
  let v = view;
  let pending: NewLogLine[] = [];
  let lastLogStep: string | null = null;
  const flush = () => {
    if (pending.length === 0) return;
    v = withLogLines(lastLogStep === null || v.activeStep === lastLogStep ? v : { ...v, activeStep: lastLogStep }, pending);
    pending = [];
  };
  for (const e of events) {
    if (e.type === 'log.line') {
      pending.push({ service: e.service, text: e.text, level: e.level, ts: e.ts });
      lastLogStep = e.step;
      continue;
    }
    flush();
    v = reduceRunEvent(v, e);
  }
  flush();
  return v;
}
