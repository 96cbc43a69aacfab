// The user's compose file and .env: written as the plan showed them (deployment migrations, then the image tags),
// after a byte-exact copy is kept in the run's folder; the undo puts those bytes back whatever happened in between.
import { dirname } from 'node:path';
import { keepOriginals, restoreOriginals, writeDeploymentFile, type KeptFile } from '../deployment-files.js';
import { STATE } from '../upgrade-run.js';
import type { StepBuilder } from './step-builder.js';

export const applyFilesStep: StepBuilder<'apply-deploy-migration'> = (run, _op, id) => ({
  id,
  title: 'Apply deployment changes to the compose file and .env',
  run: async () => {
    const composePath = run.observed.project.composeFiles[0]!;
    const envPath = run.observed.project.envFile ?? `${dirname(composePath)}/.env`;
    const paths = [composePath, ...(run.observed.project.envFile ? [envPath] : [])];
    await run.journal.setState(STATE.keptFiles, await keepOriginals(run.workDir, paths));
    const applied = await run.deployments.apply();
    for (const name of applied) run.channel.emit({ type: 'deploy-migration.applied', name, direction: 'up' });
    if (run.files.compose !== null) await writeDeploymentFile(composePath, run.files.compose);
    if (run.files.env !== null) await writeDeploymentFile(envPath, run.files.env);
    await run.deployments.settle();
    return `${applied.length} migrations${run.files.compose !== null ? ', compose file updated' : ''}`;
  },
  undo: async () => {
    const kept = run.journal.state<KeptFile[]>(STATE.keptFiles);
    if (!kept) return 'unchanged';
    const reverted = await run.deployments.revert();
    for (const name of reverted) run.channel.emit({ type: 'deploy-migration.applied', name, direction: 'down' });
    await restoreOriginals(kept);
    return 'restored byte for byte';
  },
});
