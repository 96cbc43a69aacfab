// The deployment-migration port for a project whose release needs none: preview changes nothing, apply and revert
// do nothing. Used where no migrations folder applies (and in unit tests of the upgrade flow).
import type { DeploymentMigrationsPort } from './deployment-files.js';

export const noDeploymentMigrations: DeploymentMigrationsPort = {
  preview: async (_version, files) => ({ changes: [], compose: files.compose, env: files.env }),
  apply: async () => [],
  revert: async () => [],
};
