// What pending deployment migrations will do, worked out on in-memory copies of the compose file and `.env`: each
// migration runs on the previous one's result, and leaves a redacted diff (for the user) and the exact texts (for
// up(), so what gets written is byte for byte what was previewed, generated secrets included).
import type { Redactor } from '../secrets.js';
import { EnvFile } from './env-edit.js';
import { startMigration } from './migration-context.js';
import type { ProjectTexts } from './project-files.js';
import { redactedPatch } from './preview-diff.js';
import type { DeployMigration } from './types.js';

export interface DeployMigrationPreview {
  name: string;
  description: string;
  /** Unified diff of the compose file and `.env`, secrets shown as `***`. */
  diff: string;
  notes: string[];
}

export interface DeployPlanStep extends DeployMigrationPreview {
  /** Both files after this migration. Holds generated secrets in clear: never print it. */
  after: ProjectTexts;
}

export interface DeployPlan {
  targetVersion: string;
  before: ProjectTexts;
  steps: DeployPlanStep[];
  /** Both files after the last migration (equal to `before` when nothing is pending). */
  after: ProjectTexts;
}

export async function planMigrations(
  targetVersion: string,
  migrations: DeployMigration[],
  before: ProjectTexts,
  files: { composeFile: string; envFile: string },
  labels: { compose: string; env: string },
  redactor: Redactor,
): Promise<DeployPlan> {
  const learnSecrets = (env: string | null) => EnvFile.parse(env).secretValues().forEach((secret) => redactor.add(secret));
  learnSecrets(before.env);
  const steps: DeployPlanStep[] = [];
  let texts = before;
  for (const migration of migrations) {
    const notes: string[] = [];
    const run = startMigration(migration.name, texts, files, redactor, notes);
    await migration.up(run.context);
    const after = run.result();
    learnSecrets(after.env);
    const diff = redactedPatch([
      { label: labels.compose, before: texts.compose, after: after.compose },
      { label: labels.env, before: texts.env, after: after.env },
    ], redactor);
    steps.push({ name: migration.name, description: migration.description, diff, notes, after });
    texts = after;
  }
  return { targetVersion, before, steps, after: texts };
}
