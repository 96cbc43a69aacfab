// Stopping the app for the backup and the swap, and — as its undo — starting the version that ran before again.
import { dependencyOrder, stopWaves } from '../../compose/index.js';
import { waitHealthy } from '../../verify/wait-healthy.js';
import { externalError } from '../../errors.js';
import { containerOf } from '../run-state.js';
import { STATE } from '../upgrade-run.js';
import type { StepBuilder } from './step-builder.js';

export const stopStep: StepBuilder<'stop'> = (run, op, id) => ({
  id,
  title: `Stop ${op.services.join(', ')}`,
  run: async () => {
    const { docker } = run;
    // The backup's verification server must be up before the writers stop: its start is not downtime.
    if (run.verifier) await (await run.verifier).ready();
    if (!run.journal.state(STATE.downtimeStartedAt)) await run.journal.setState(STATE.downtimeStartedAt, Date.now());
    // Dependents first, as compose stops (the frontend before the backend it proxies); the services of one wave
    // in parallel, since each stop is a wait for a process to exit and all of them count as downtime.
    let stopped = 0;
    for (const wave of stopWaves(run.observed.project, op.services)) {
      await Promise.all(wave.map(async (service) => {
        const c = await docker.inspectContainer(containerOf(run, service));
        if (c?.running || c?.restarting) await docker.stopContainer(c.id, 10);
        if (c) stopped += 1;
      }));
    }
    return `${stopped} stopped`;
  },
  // What was running before starts again, dependencies first, the backend waited for: by now every later step is
  // undone, so these are the old containers under their own names (and the database is as the backup has it).
  undo: async (signal) => {
    const { docker } = run;
    const backend = run.observed.roles.backend;
    const problems: string[] = [];
    let started = 0;
    for (const service of dependencyOrder(run.observed.project, op.services.filter((s) => s in run.observed.project.services))) {
      const container = containerOf(run, service);
      if (!(await docker.inspectContainer(container))) continue;
      try {
        await docker.startContainer(container);
        started += 1;
        if (service === backend) await waitHealthy(docker, container, { timeoutMs: run.timeoutMs, signal });
      } catch (error) {
        // Start the rest anyway: a running worker and frontend beat a dead stack.
        problems.push((error as Error).message);
      }
    }
    if (problems.length) throw externalError('rollback.start-failed', problems.join('; '));
    return `${started} started again`;
  },
});
