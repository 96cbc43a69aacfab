// The checks of the version that ran before the upgrade: taken once as the baseline while it still serves, and again
// by the rollback once it serves again. One definition, so the two compare like with like.
import { containerOf } from './run-state.js';
import { STATE, type UpgradeRun } from './upgrade-run.js';
import type { Emit } from '../event-channel.js';
import { frontendApiUrl } from '../verify/frontend-api.js';
import { captureBaseline, type VerifyExpectations } from '../verify/run-checks.js';

/** `manifest`: the backup's, once one was taken (its revisions and tables are the old version's, exactly). */
export function previousVersionExpectations(run: UpgradeRun, manifest: { alembic: string[]; tables: Record<string, unknown> } | null): VerifyExpectations {
  return {
    backend: containerOf(run, run.observed.roles.backend!),
    // Containers the upgrade creates did not exist before it.
    containers: run.plan.services.filter((s) => s.action !== 'create').map((s) => s.container),
    heads: manifest?.alembic ?? run.plan.migrations.current ?? [],
    tables: manifest ? Object.keys(manifest.tables) : run.observed.db?.tables ?? [],
    creds: run.creds,
    frontendApiUrl: frontendApiUrl(run.observed.project, run.observed.roles.frontend),
  };
}

/** Run the checks on the running version and journal them (a resumed run and its rollback read them back). */
export async function recordBaseline(run: UpgradeRun, emit: Emit): Promise<void> {
  const { baseline, failing } = await captureBaseline(run, previousVersionExpectations(run, null));
  await run.journal.setState(STATE.verifyBaseline, baseline);
  if (failing.length) {
    emit({ type: 'notice', level: 'warn', message: `Failing before the upgrade, on the running version: ${failing.join('; ')}. The upgrade is held only to what it changes: these may fail afterwards the same way, not differently.` });
  }
}
