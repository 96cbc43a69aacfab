// The deployment-migration port the upgrade runbook uses (runbook/deployment-files.ts), over DeployMigrationRunner.
// preview() plans on the texts the engine read and the facts it gathered, and remembers the plan; apply() writes
// exactly those texts, one journaled migration at a time (the diff the user confirmed, the same generated secrets);
// revert() puts the files back as they were before apply() and marks its migrations reverted. The engine's run id (its
// work folder's name) names the journal's run, so a resumed run finds its own.
import { basename } from 'node:path';
import { GlowwormError } from '../errors.js';
import type { Redactor } from '../secrets.js';
import type { DeployPlan } from './deploy-plan.js';
import { DeployMigrationRunner } from './runner.js';
import type { DeployMigration, DeploymentMigrationsPort } from './types.js';

export interface DeploymentMigrationsOptions {
  redactor?: Redactor;
  /** Default: the migrations shipped in migrations/. */
  migrations?: DeployMigration[];
}

/** Same signature as the upgrade's `deployments` factory, plus options. */
export function deploymentMigrations(
  _projectDir: string,
  composeFile: string,
  envFile: string | null,
  workDir: string,
  options: DeploymentMigrationsOptions = {},
): DeploymentMigrationsPort {
  const runner = new DeployMigrationRunner(
    { composeFile, ...(envFile ? { envFile } : {}), ...(options.migrations ? { migrations: options.migrations } : {}) },
    options.redactor ? { redactor: options.redactor } : {},
  );
  const runId = basename(workDir);
  let plan: DeployPlan | null = null;
  let target: string | undefined;
  return {
    imageFiles: () => runner.imageFiles(),
    async preview(facts, files, targetImage) {
      plan = await runner.plan(facts, files, { runId });
      target = targetImage;
      return { changes: plan.steps.map(({ name, description, diff, notes }) => ({ name, description, diff, notes })), ...plan.after };
    },
    async apply() {
      if (!plan) {
        throw new GlowwormError('Deployment migrations were applied without a preview.', {
          kind: 'bug', code: 'deploy-migrations.no-preview', hint: 'This is a bug in glowworm; please report it.',
        });
      }
      if (plan.steps.length === 0) return [];
      return (await runner.up(plan.facts, { plan, runId, ...(target ? { target } : {}) })).applied;
    },
    async settle() {
      await runner.recordFinalFiles(runId);
    },
    async revert() {
      return (await runner.restoreOriginals(runId)).reverted;
    },
  };
}
