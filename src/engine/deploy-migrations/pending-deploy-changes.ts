// The engine's hook for planning: the deployment changes an upgrade to `targetVersion` needs, as the Plan shows them
// (name, one-line description, redacted unified diff). Computed on in-memory copies; nothing is written.
import type { DeployChange } from '../plan/plan.js';
import { DeployMigrationRunner } from './runner.js';
import type { DeployProject } from './types.js';

export async function pendingDeployChanges(project: DeployProject, targetVersion: string): Promise<DeployChange[]> {
  const previews = await new DeployMigrationRunner(project).preview(targetVersion);
  return previews.map(({ name, description, diff }) => ({ name, description, diff }));
}
