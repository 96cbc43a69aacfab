// `glowworm upgrade`: discover → observe → preflight (pull, read the new image) → plan → confirm → execute, and roll
// back when a step after the first change fails. The UI is not here: questions arrive as functions (`confirm`), and
// everything the user sees is an event.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProject } from '../compose/index.js';
import { DockerodeDocker } from '../docker/dockerode-docker.js';
import type { DockerPort } from '../docker/port.js';
import { startVerifier, type Verifier } from '../backup/verify.js';
import { abortedError, errorInfo, externalError, GlowwormError, toGlowwormError, userError } from '../errors.js';
import type { EngineEvent, EventPayload, RunOutcome } from '../events.js';
import { observe } from '../plan/observed-state.js';
import { canRehearse, planToText, type Plan } from '../plan/plan.js';
import { reconcile } from '../plan/reconcile.js';
import { preflight } from '../plan/target-state.js';
import type { DeploymentMigrationsPort } from '../runbook/deployment-files.js';
import { runSteps } from '../runbook/executor.js';
import { Journal, runsDir } from '../runbook/journal.js';
import { RunLock } from '../runbook/lock.js';
import { rollback } from '../runbook/rollback.js';
import { upgradeSteps } from '../runbook/upgrade-steps.js';
import { STATE, type UpgradeRun } from '../runbook/upgrade-run.js';
import { Redactor } from '../secrets.js';
import type { PlanAnswer, UpgradeRequest } from '../api.js';
import { runCommand, type CommandRun } from './run-command.js';
import { clearOrphans } from './project-run.js';
import { backendMigrations } from './backend-image.js';
import { withDb } from '../db/connection.js';
import { alembicRevisions } from '../db/schema.js';
import { diagnoseHalfApplied, liveOf, readLiveSchema, snapshotOf, type SchemaSnapshot } from '../verify/half-applied.js';
import { recordBaseline } from '../runbook/previous-version.js';

/** What the caller asks for: EngineApi's request (one definition for the CLI, the TUI and tests). */
export type UpgradeOptions = UpgradeRequest;

export interface UpgradeIO {
  confirm(plan: Plan): Promise<PlanAnswer>;
  signal?: AbortSignal;
  docker?: DockerPort;
  deployments: (projectDir: string, composeFile: string, envFile: string | null, workDir: string) => DeploymentMigrationsPort;
}

interface SavedOptions {
  toTag: string | null;
  backup: boolean;
  rehearse: boolean;
  files: string[];
  timeoutMs: number;
}

export function upgrade(opts: UpgradeOptions, io: UpgradeIO): AsyncIterable<EngineEvent> {
  const redactor = new Redactor();
  return runCommand('upgrade', opts.projectDir, (run) => upgradeBody(opts, io, run), {
    redactor,
    resumed: !!(opts.resume || opts.rollback),
    closeAfterError: closingFailure,
  });
}

/** The error of a run stopped by the user after it started changing things (resumable). */
const INTERRUPTED = 'upgrade.interrupted';

/**
 * Every upgrade says how it ended with `upgrade.completed` or `upgrade.failed`, just before `run.finished`. A run
 * that stopped before it changed anything (a failed pull, a held lock, "no" at the plan) has not said it yet: this
 * does. Scripts reading `--json` wait for one of the two.
 */
function closingFailure(run: CommandRun, error: unknown): EventPayload | null {
  if (run.channel.emitted('upgrade.completed') || run.channel.emitted('upgrade.failed')) return null;
  const state = toGlowwormError(error).code === INTERRUPTED
    ? 'Stopped by you in the middle of the upgrade. Nothing was rolled back.'
    : 'Nothing was changed: the running version is as it was.';
  return { type: 'upgrade.failed', error: errorInfo(error), rolledBack: false, state };
}

async function upgradeBody(opts: UpgradeOptions, io: UpgradeIO, cmd: CommandRun): Promise<RunOutcome> {
  const { channel, redactor } = cmd;
  const docker = io.docker ?? new DockerodeDocker();
  const signal = io.signal ?? new AbortController().signal;
  let previous = await Journal.findUnfinished(opts.projectDir, 'upgrade', redactor);
  if ((opts.resume || opts.rollback) && !previous) {
    throw userError('resume.nothing', 'There is no unfinished upgrade to continue in this project.', 'Start one with `glowworm upgrade`.');
  }
  let carried: SavedOptions | null = null;
  if (previous && !startedChanging(previous)) {
    await abandonUnchanged(previous, opts.projectDir, channel.emit);
    if (opts.rollback) throw userError('resume.nothing', `The upgrade run ${previous.runId} stopped before it changed anything: there is nothing to roll back.`);
    carried = opts.resume ? (previous.state<SavedOptions>(STATE.options) ?? null) : null;
    previous = null;
  }
  // Resuming a run that had not changed anything yet is starting it again, with its options: plan, and ask.
  const continuing = !!previous && !!(opts.resume || opts.rollback);
  if (!continuing && previous) {
    throw userError('resume.pending', `A previous upgrade (run ${previous.runId}) did not finish.`,
      'Continue it with `glowworm upgrade --resume`, or put everything back with `glowworm upgrade --rollback`.');
  }
  if (opts.rehearse && opts.backup === false) throw userError('usage.rehearse-needs-backup', '--rehearse runs the migrations on the restored backup, so it cannot go with --no-backup.');
  const runId = previous?.runId ?? cmd.runId;
  const lock = await RunLock.acquire(opts.projectDir, { runId, command: 'upgrade' }, { takeOverStale: continuing });
  const journal = previous ?? (await Journal.create(opts.projectDir, runId, 'upgrade', redactor));
  if (previous) await journal.reopen();
  await clearOrphans(docker, channel.emit);
  const saved: SavedOptions = journal.state<SavedOptions>(STATE.options) ?? carried ?? {
    toTag: opts.toTag ?? null, backup: opts.backup ?? true, rehearse: opts.rehearse ?? false, files: opts.files ?? [], timeoutMs: opts.timeoutMs ?? 600_000,
  };
  await journal.setState(STATE.options, saved);
  const workDir = join(runsDir(opts.projectDir), runId);
  let verifier: Promise<Verifier> | null = null;

  try {
    const project = await loadProject({ projectDir: opts.projectDir, files: saved.files.length ? saved.files : undefined });
    const observed = await phase(channel, 'observe', 'Look at the deployment: containers, images, database', () => observe(docker, project, redactor));
    if (!observed.db) throw externalError('observe.no-db', `Cannot reach GlowWorm's database: ${observed.warnings.join(' ')}`, 'Start the stack (`docker compose up -d`) and try again.');
    const deployments = io.deployments(opts.projectDir, project.composeFiles[0]!, project.envFile, workDir);
    // The throwaway server that verifies the backup needs seconds to initialise: start it now, while we pull and
    // the user reads the plan, not inside the downtime. Removed in `finally` whatever happens.
    const db = observed.services[observed.roles.db!]!.container!;
    const verifyDone = journal.steps.some((st) => st.id.includes('-verify-backup:') && st.status === 'completed');
    if (saved.backup && !verifyDone) {
      verifier = startVerifier({ docker, dbImageId: db.imageId, cmd: (db.raw.Config['Cmd'] as string[] | null) ?? null, project: project.name, runId, redactor });
      verifier.catch(() => undefined);
    }

    for (const s of Object.values(project.services)) redactor.addFromEnv(s.environment);
    const pre = await phase(channel, 'preflight', 'Pull the new images and read their migrations and release notes', () =>
      preflight({ docker, emit: channel.emit, redactor, deployments }, observed, { toTag: saved.toTag, pull: !continuing && (opts.pull ?? true), workDir }));
    for (const s of Object.values(pre.target.project.services)) redactor.addFromEnv(s.environment);
    let plan = journal.state<Plan>(STATE.plan) ?? reconcile(observed, pre.target, { backup: saved.backup, rehearse: saved.rehearse });
    channel.emit({ type: 'plan.ready', step: 'plan', plan, text: planToText(plan) });

    if (plan.operations.length === 0) {
      channel.emit({ type: 'notice', level: 'info', message: `Already up to date: ${plan.toVersion}, database at ${plan.migrations.targetHeads.join(', ')}.` });
      await journal.finish('completed');
      channel.emit({ type: 'upgrade.completed', fromVersion: plan.fromVersion, toVersion: plan.toVersion, durationMs: Date.now() - Date.parse(journal.startedAt), downtimeMs: 0, backupPath: null });
      return 'ok';
    }
    if (!continuing) {
      const answer = await io.confirm(plan);
      if (!answer) throw abortedError('Upgrade cancelled; nothing was changed.');
      if (answer === 'rehearse') {
        if (!canRehearse(plan)) throw userError('usage.rehearse-not-offered', 'This plan cannot be rehearsed: it needs pending migrations and a backup, and no rehearsal planned yet.');
        // The same plan `--rehearse` would have made; saved so that `--resume` keeps it.
        saved.rehearse = true;
        await journal.setState(STATE.options, saved);
        plan = reconcile(observed, pre.target, { backup: saved.backup, rehearse: true });
        channel.emit({ type: 'notice', level: 'info', message: `Rehearsal added: the ${plan.migrations.pending.length} new migrations run first on the restored copy of the backup; if they fail there, the upgrade stops and the running version is started again, its database untouched.` });
      }
      await journal.setState(STATE.plan, plan);
      // The schema as it was, for telling a failed migration's leftovers from what was there already.
      await journal.setState(STATE.schemaBefore, snapshotOf(await withDb(observed.db.creds, readLiveSchema)));
    }

    const run: UpgradeRun = {
      runId, docker, channel, redactor, journal, signal, observed, target: pre.target, plan, creds: observed.db.creds, db,
      deployments, workDir, files: pre.files, verifier, timeoutMs: saved.timeoutMs,
    };
    // The checks on the version still serving, so that the upgrade and its rollback are judged by what they change
    // (a real release's settings API already answers 500). A resumed run has its baseline in the journal.
    if (!continuing) await phase(channel, 'baseline', 'Check the running version first (the upgrade is judged against it)', () => recordBaseline(run, channel.emit));
    const started = Date.now();

    if (opts.rollback || journal.state(STATE.phase) === 'rollback') {
      return await rollBackAndReport(run, journal.state<string>(STATE.rollbackReason) ?? 'requested with --rollback', null);
    }
    try {
      await runSteps({ channel, journal, signal }, upgradeSteps(run));
    } catch (error) {
      if (toGlowwormError(error).kind === 'aborted') {
        await journal.finish('interrupted');
        throw new GlowwormError('Upgrade interrupted.', { kind: 'aborted', code: INTERRUPTED, hint: 'Continue with `glowworm upgrade --resume`, or put everything back with `glowworm upgrade --rollback`.' });
      }
      return await rollBackAndReport(run, (error as Error).message, error);
    }
    const downStart = journal.state<number>(STATE.downtimeStartedAt) ?? started;
    const verifyStep = journal.steps.find((s) => s.id.includes('-verify:'));
    const downtimeMs = (verifyStep ? Date.parse(verifyStep.startedAt) : Date.now()) - downStart;
    await journal.finish('completed');
    const backupFile = journal.state<{ file: string }>(STATE.backup)?.file ?? null;
    channel.emit({ type: 'upgrade.completed', fromVersion: plan.fromVersion, toVersion: plan.toVersion, durationMs: Date.now() - Date.parse(journal.steps[0]?.startedAt ?? new Date().toISOString()), downtimeMs, backupPath: backupFile });
    return 'ok';
  } catch (error) {
    if (journal.status === 'running' && !startedChanging(journal)) await journal.finish('failed'); // failed before any change
    throw error;
  } finally {
    await (await verifier?.catch(() => null))?.dispose().catch(() => undefined);
    // The edited compose file and .env the preflight wrote are scratch (a resume writes them again); .env holds
    // secrets, so a finished run does not leave a copy of it behind.
    if (journal.status !== 'running' && journal.status !== 'interrupted') {
      await Promise.all(['target-compose.yml', 'target.env'].map((f) => rm(join(workDir, f), { force: true })));
    }
    await lock.release();
  }
}

/** Whether a run got as far as its first step that changes the deployment (steps of the plan are numbered). */
function startedChanging(journal: Journal): boolean {
  return journal.steps.some((s) => /^\d+-/.test(s.id));
}

/**
 * A run killed before it changed anything (at the plan, or while pulling: the terminal closed, `kill -9`) has
 * nothing to resume or roll back; close its journal and say so. Its lock is taken over only if its process is gone:
 * a live one is another upgrade still at its plan, and `lock.held` says that.
 */
async function abandonUnchanged(previous: Journal, projectDir: string, emit: CommandRun['channel']['emit']): Promise<void> {
  const lock = await RunLock.acquire(projectDir, { runId: previous.runId, command: 'upgrade' }, { takeOverStale: true });
  try {
    await previous.finish('failed');
  } finally {
    await lock.release();
  }
  emit({ type: 'notice', level: 'info', message: `The upgrade run ${previous.runId} stopped before it changed anything; there is nothing to resume or roll back.` });
}

/** Before the rollback restores the database: say what the failed migration left behind (the user's evidence). */
async function reportHalfApplied(run: UpgradeRun): Promise<void> {
  try {
    // The preflight read them from the image already; only if that failed, try once more.
    const effects = run.target.effects.size
      ? run.target.effects
      : (await backendMigrations(run.docker, run.target.refs[run.observed.roles.backend!]!)).effects;
    const before = run.journal.state<SchemaSnapshot>(STATE.schemaBefore);
    const diagnosis = await withDb(run.creds, async (db) =>
      diagnoseHalfApplied(run.target.graph, effects, await alembicRevisions(db), await readLiveSchema(db), before ? liveOf(before) : undefined));
    if (diagnosis) run.channel.emit({ type: 'schema.half-applied', ...diagnosis });
  } catch (error) {
    run.channel.emit({ type: 'notice', level: 'warn', message: `Could not diagnose the schema: ${(error as Error).message}` });
  }
}

/** A phase before anything changes: announced like a step, not journaled (there is nothing to resume in it). */
async function phase<T>(channel: CommandRun['channel'], step: string, title: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  channel.setStep(step);
  channel.emit({ type: 'step.started', title });
  try {
    const result = await fn();
    channel.emit({ type: 'step.completed', durationMs: Date.now() - started });
    return result;
  } catch (error) {
    channel.emit({ type: 'step.failed', durationMs: Date.now() - started, error: errorInfo(error) });
    throw error;
  } finally {
    channel.setStep('run');
  }
}

async function rollBackAndReport(run: UpgradeRun, reason: string, cause: unknown): Promise<RunOutcome> {
  if (toGlowwormError(cause).code === 'migrate.failed') await reportHalfApplied(run);
  const result = await rollback(run, reason);
  await run.journal.finish(result.ok ? 'rolled-back' : 'failed');
  const error = errorInfo(cause ?? externalError('rollback.requested', reason));
  const state = result.ok
    ? `Running ${run.plan.fromVersion ?? 'the previous version'} again${result.restoredDatabase ? ', database restored from the backup' : ''}; verified.`
    : `Rollback incomplete: ${result.failures.join('; ')}. Run \`glowworm doctor\`; the backup is in ${run.journal.state<{ file: string }>(STATE.backup)?.file ?? '(none taken)'}.`;
  run.channel.emit({ type: 'upgrade.failed', error, rolledBack: result.ok, state });
  return result.ok ? 'failed-rolled-back' : 'needs-attention';
}
