// The deployment-migration port the upgrade runbook uses (runbook/deployment-files.ts), over DeployMigrationRunner.
// preview() plans on the texts the engine read and remembers the plan; apply() writes exactly those texts, one
// journaled migration at a time (the diff the user confirmed, the same generated secrets); revert() puts the files
// back as they were before apply() and marks its migrations reverted. The engine's run id (its work folder's name)
// names the journal's run, so a resumed run finds its own.
import { basename } from 'node:path';
import { GlowwormError } from '../errors.js';
import { parseVersion } from '../changelog/version-order.js';
import type { Redactor } from '../secrets.js';
import type { DeploymentMigrationsPort } from '../runbook/deployment-files.js';
import type { DeployPlan } from './deploy-plan.js';
import { DeployMigrationRunner } from './runner.js';
import type { DeployMigration } from './types.js';

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
  return {
    async preview(targetVersion, files) {
      // An image known only by a tag like `test` cannot be placed among versions: no migration is known to apply.
      if (!parseVersion(targetVersion)) {
        plan = { targetVersion, before: files, steps: [], after: files };
      } else {
        plan = await runner.plan(targetVersion, files, { runId });
      }
      return { changes: plan.steps.map(({ name, description, diff }) => ({ name, description, diff })), ...plan.after };
    },
    async apply(targetVersion) {
      if (!plan || plan.targetVersion !== targetVersion) {
        throw new GlowwormError(`Deployment migrations to ${targetVersion} were applied without a preview.`, {
          kind: 'bug', code: 'deploy-migrations.no-preview', hint: 'This is a bug in glowworm; please report it.',
        });
      }
      if (plan.steps.length === 0) return [];
      return (await runner.up(targetVersion, { plan, runId })).applied;
    },
    async settle() {
      await runner.recordFinalFiles(runId);
    },
    async revert() {
      return (await runner.restoreOriginals(runId)).reverted;
    },
  };
}
