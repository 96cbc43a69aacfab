// `glowworm upgrade`: discover → observe → preflight (pull, read the new image) → plan → confirm → execute, and roll
// back when a step after the first change fails. The UI is not here: questions arrive as functions (`confirm`), and
// everything the user sees is an event.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProject } from '../compose/index.js';
import { DockerodeDocker } from '../docker/dockerode-docker.js';
import type { DockerPort } from '../docker/port.js';
import { serverOf, startVerifier, type Verifier } from '../backup/verify.js';
import { abortedError, errorInfo, externalError, GlowwormError, toGlowwormError, userError } from '../errors.js';
import type { EngineEvent, RunOutcome } from '../events.js';
import { observe } from '../plan/observed-state.js';
import { canRehearse, planToText, type Plan } from '../plan/plan.js';
import { reconcile } from '../plan/reconcile.js';
import { preflight } from '../preflight/preflight.js';
import type { DeploymentMigrationsPort } from '../runbook/deployment-files.js';
import { runSteps } from '../runbook/executor.js';
import { runsDir } from '../runbook/journal.js';
import { upgradeSteps } from '../runbook/upgrade-steps.js';
import { STATE, type UpgradeRun } from '../runbook/upgrade-run.js';
import { Redactor } from '../secrets.js';
import type { PlanAnswer, UpgradeRequest } from '../api.js';
import { runCommand, type CommandRun } from './run-command.js';
import { clearOrphans } from './project-run.js';
import { withDb } from '../db/connection.js';
import { readLiveSchema, snapshotOf } from '../verify/half-applied.js';
import { completed, planSteps, touchedDataOrFiles, usesVerifiedCopy } from '../runbook/run-state.js';
import { openRun } from './upgrade-open.js';
import { salvageAndReport } from './upgrade-salvage.js';
import { closingFailure, INTERRUPTED, putBackAfterStop, rollBackAndReport } from './upgrade-outcome.js';
import { recordBaseline } from '../runbook/previous-version.js';
import { bringBackInterruptedServer } from '../runbook/steps/database-server.js';

/** What the caller asks for: EngineApi's request (one definition for the CLI, the TUI and tests). */
export type UpgradeOptions = UpgradeRequest;

export interface UpgradeIO {
  confirm(plan: Plan): Promise<PlanAnswer>;
  signal?: AbortSignal;
  docker?: DockerPort;
  deployments: (projectDir: string, composeFile: string, envFile: string | null, workDir: string) => DeploymentMigrationsPort;
}

export function upgrade(opts: UpgradeOptions, io: UpgradeIO): AsyncIterable<EngineEvent> {
  const redactor = new Redactor();
  return runCommand('upgrade', opts.projectDir, (run) => upgradeBody(opts, io, run), {
    redactor,
    resumed: !!(opts.resume || opts.rollback),
    closeAfterError: (run, error) => closingFailure(run, error, { continuing: !!(opts.resume || opts.rollback) }),
  });
}

async function upgradeBody(opts: UpgradeOptions, io: UpgradeIO, cmd: CommandRun): Promise<RunOutcome> {
  const { channel, redactor } = cmd;
  const docker = io.docker ?? new DockerodeDocker();
  const signal = io.signal ?? new AbortController().signal;
  if (opts.rehearse && opts.backup === false) throw userError('usage.rehearse-needs-backup', '--rehearse runs the migrations on the restored backup, so it cannot go with --no-backup.');
  let opened: Awaited<ReturnType<typeof openRun>>;
  try {
    opened = await openRun(opts, cmd.runId, redactor, channel.emit);
  } catch (error) {
    // The stopped run's journal cannot be read: --rollback still has a way back, from what is on the engine.
    if (opts.rollback && toGlowwormError(error).code === 'journal.unreadable') return salvageAndReport(opts, cmd, docker);
    throw error;
  }
  const { lock, journal, continuing, saved } = opened;
  const runId = journal.runId;
  await clearOrphans(docker, channel.emit);
  const workDir = join(runsDir(opts.projectDir), runId);
  let verifier: Promise<Verifier> | null = null;

  try {
    const project = await loadProject({ ...opts, files: saved.files });
    const interrupted = continuing ? journal.state<Plan>(STATE.plan) : undefined;
    if (interrupted) {
      // Killed while it recreated the database server: there may be none running to observe or to put back.
      const back = await bringBackInterruptedServer(docker, interrupted, journal, saved.timeoutMs);
      if (back) channel.emit({ type: 'notice', level: 'info', message: back });
    }
    const observed = await phase(channel, 'observe', 'Look at the deployment: containers, images, database', () => observe(docker, project, redactor));
    if (!observed.db) throw externalError('observe.no-db', `Cannot reach GlowWorm's database: ${observed.warnings.join(' ')}`, 'Start the stack (`docker compose up -d`) and try again.');
    const deployments = io.deployments(opts.projectDir, project.composeFiles[0]!, project.envFile, workDir);
    // The throwaway server that verifies the backup needs seconds to initialise: start it now, while we pull and
    // the user reads the plan, not inside the downtime. Removed in `finally` whatever happens.
    const db = observed.services[observed.roles.db!]!.container!;
    const planned = journal.state<Plan>(STATE.plan);
    // Needed until the last step that uses the verified copy is done (a resumed run starts a new, empty one).
    const usingCopy = (planned?.operations ?? []).filter(usesVerifiedCopy);
    const copyDone = planned ? usingCopy.every((o) => completed({ plan: planned, journal }, o.kind)) : false;
    if (saved.backup && !copyDone) {
      verifier = startVerifier({ docker, ...serverOf(db), project: project.name, runId, redactor });
      verifier.catch(() => undefined);
    }

    for (const s of Object.values(project.services)) redactor.addFromEnv(s.environment);
    const pre = await phase(channel, 'preflight', 'Pull the new images and read their migrations and release notes', () =>
      preflight({ docker, emit: channel.emit, redactor, deployments }, observed, { toTag: saved.toTag, pull: !continuing && (opts.pull ?? true), workDir }));
    for (const s of Object.values(pre.target.project.services)) redactor.addFromEnv(s.environment);
    let plan = planned ?? reconcile(observed, pre.target, { backup: saved.backup, rehearse: saved.rehearse });
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
        // Before the database or the files changed, "stopped" must not mean "left stopped": put the old version back.
        if (!touchedDataOrFiles(run)) throw await putBackAfterStop(run);
        await journal.finish('interrupted');
        throw new GlowwormError('Upgrade interrupted.', { kind: 'aborted', code: INTERRUPTED, hint: 'Continue with `glowworm upgrade --resume`, or put everything back with `glowworm upgrade --rollback`.' });
      }
      return await rollBackAndReport(run, (error as Error).message, error);
    }
    const downStart = journal.state<number>(STATE.downtimeStartedAt) ?? started;
    const verifyAt = planSteps(plan).find(({ op }) => op.kind === 'verify');
    const verifyStarted = verifyAt ? journal.steps.find((s) => s.id === verifyAt.id)?.startedAt : undefined;
    const downtimeMs = (verifyStarted ? Date.parse(verifyStarted) : Date.now()) - downStart;
    await journal.finish('completed');
    const backupFile = journal.state<{ file: string }>(STATE.backup)?.file ?? null;
    channel.emit({ type: 'upgrade.completed', fromVersion: plan.fromVersion, toVersion: plan.toVersion, durationMs: Date.now() - Date.parse(journal.steps[0]?.startedAt ?? new Date().toISOString()), downtimeMs, backupPath: backupFile });
    return 'ok';
  } catch (error) {
    if (journal.status === 'running' && journal.steps.length === 0) await journal.finish('failed'); // failed before any change
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
