// `glowworm upgrade --rollback` when the stopped upgrade's journal cannot be read: put back what it left from what is
// on the engine and in its folder (runbook/salvage.ts). Its steps are not journaled — there is no journal to trust —
// and each one is safe to run again.
import { join } from 'node:path';
import { loadProject } from '../compose/index.js';
import type { DockerPort } from '../docker/port.js';
import { errorInfo, externalError, StepFailedError } from '../errors.js';
import type { RunOutcome } from '../events.js';
import { observe } from '../plan/observed-state.js';
import { salvageSteps, unreadableJournals } from '../runbook/salvage.js';
import type { UpgradeRequest } from '../api.js';
import type { CommandRun } from './run-command.js';
import { takeLock } from './upgrade-open.js';

export async function salvageAndReport(opts: UpgradeRequest, cmd: CommandRun, docker: DockerPort): Promise<RunOutcome> {
  const { channel, redactor } = cmd;
  const lock = await takeLock(opts.projectDir, cmd.runId);
  try {
    const journal = (await unreadableJournals(opts.projectDir, redactor))[0];
    if (!journal) throw externalError('journal.unreadable', 'The unreadable journal is gone.');
    const project = await loadProject(opts);
    const observed = await observe(docker, project, redactor);
    channel.emit({ type: 'rollback.started', reason: `the journal ${journal} cannot be read; putting back what its run left on the engine` });
    const failures: string[] = [];
    const salvage = salvageSteps({ docker, emit: channel.emit, redactor, observed, timeoutMs: opts.timeoutMs ?? 600_000 }, journal);
    for (const step of salvage.steps) {
      const started = Date.now();
      channel.setStep(step.id);
      channel.emit({ type: 'step.started', title: step.title });
      try {
        const summary = await step.run(new AbortController().signal);
        channel.emit({ type: 'step.completed', durationMs: Date.now() - started, ...(summary ? { summary } : {}) });
      } catch (error) {
        channel.emit({ type: 'step.failed', durationMs: Date.now() - started, error: errorInfo(new StepFailedError(step.id, error)) });
        failures.push((error as Error).message);
        if (step.id === 'salvage:containers') break; // not an unfinished run: nothing else may be put back either
      } finally {
        channel.setStep('run');
      }
    }
    const ok = failures.length === 0;
    channel.emit({ type: 'rollback.completed', restoredDatabase: salvage.restoredDatabase(), ok });
    channel.emit({
      type: 'upgrade.failed', error: errorInfo(externalError('journal.unreadable', `The journal ${journal} could not be read.`)), rolledBack: ok,
      state: ok
        ? `Put back what the stopped run left (containers, compose file, .env, the database from its backup where it had moved); verified. Its journal is kept as ${join(journal)}.unreadable.`
        : `Could not put everything back: ${failures.join('; ')}. See \`glowworm doctor\`.`,
    });
    return ok ? 'failed-rolled-back' : 'needs-attention';
  } finally {
    await lock.release();
  }
}
