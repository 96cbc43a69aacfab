// Stopping the app for the backup and the swap, and — as its undo — starting the version that ran before again
// (steps/app.ts, shared with every command that stops the writers). What is the upgrade's own: the backup's
// verification server must be up before the writers stop (its start is not downtime), and the downtime clock starts.
import { containerOf } from '../run-state.js';
import { STATE, type UpgradeRun } from '../upgrade-run.js';
import { stopAppStep, type AppScope } from './app.js';
import type { StepBuilder } from './step-builder.js';

/** The app as this upgrade sees it: the plan's container names (the old ones, until the swap renames them). */
export function appScopeOf(run: UpgradeRun): AppScope {
  return {
    docker: run.docker, project: run.observed.project, backend: run.observed.roles.backend ?? null,
    containerOf: (service) => containerOf(run, service), emit: run.channel.emit, timeoutMs: run.timeoutMs,
  };
}

export const stopStep: StepBuilder<'stop'> = (run, op, id) => {
  const app = stopAppStep(appScopeOf(run), op.services, { id });
  return {
    ...app,
    run: async (signal) => {
      if (run.verifier) await (await run.verifier).ready();
      if (!run.journal.state(STATE.downtimeStartedAt)) await run.journal.setState(STATE.downtimeStartedAt, Date.now());
      return app.run(signal);
    },
  };
};
