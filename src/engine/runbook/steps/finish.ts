// The end of an upgrade: verify the new version (judged against the checks of the old one, verify/baseline.ts), then
// commit: the old containers kept for the way back are removed. After the commit there is nothing to roll back to.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tablesAfter } from '../../alembic/schema-effects.js';
import { externalError } from '../../errors.js';
import { removeAside } from '../../operations/recreate.js';
import { swapNames } from '../../docker/swap-names.js';
import { frontendApiUrl } from '../../verify/frontend-api.js';
import { runVerification } from '../../verify/run-checks.js';
import { backupState, containerOf } from '../run-state.js';
import { STATE } from '../upgrade-run.js';
import type { StepBuilder } from './step-builder.js';

export const verifyStep: StepBuilder<'verify'> = (run, _op, id) => ({
  id,
  title: 'Verify the upgrade',
  run: async (signal) => {
    const b = await backupState(run);
    // The tables there were, as the new migrations leave them (a release may drop one, and adds its own).
    const before = b ? Object.keys(b.manifest.tables) : run.observed.db?.tables ?? [];
    const tables = tablesAfter(before, run.plan.migrations.pending, run.target.effects);
    const outcome = await runVerification({ docker: run.docker, emit: run.channel.emit, redactor: run.redactor, signal }, {
      backend: containerOf(run, run.observed.roles.backend!),
      containers: run.plan.services.map((s) => s.container),
      heads: run.target.graph.heads,
      tables,
      creds: run.creds,
      frontendApiUrl: frontendApiUrl(run.target.project, run.observed.roles.frontend),
      // A check failing just as it did before the upgrade is not the upgrade's doing (verify/baseline.ts).
      baseline: run.journal.state(STATE.verifyBaseline),
    });
    if (!outcome.ok) throw externalError('verify.failed', `Verification failed: ${outcome.failures.join('; ')}`);
    return outcome.summary;
  },
});

export const commitStep: StepBuilder<'commit'> = (run, _op, id) => ({
  id,
  title: 'Remove the old containers kept for rollback',
  run: async () => {
    for (const s of run.plan.services) if (s.action === 'recreate') await removeAside(run.docker, swapNames(s.container, run.runId));
    // The byte-exact copies of the compose file and .env (every password) served the way back; after the commit
    // there is none. (deploy-migrations keeps its own, for `glowworm deploy-migrations down`.)
    await rm(join(run.workDir, 'originals'), { recursive: true, force: true });
  },
});
