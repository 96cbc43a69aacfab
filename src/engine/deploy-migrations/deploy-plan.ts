// What the deployment migrations will do, worked out on in-memory copies of the compose file and `.env`: each one not
// applied yet is asked whether it is needed on the previous one's result, runs there if so, and leaves a redacted
// diff (for the user) and the exact texts (for up(), so what gets written is byte for byte what was previewed,
// generated secrets included).
import { GlowwormError, toGlowwormError } from '../errors.js';
import type { Redactor } from '../secrets.js';
import { EnvFile } from './env-edit.js';
import { startMigration } from './migration-context.js';
import type { ProjectTexts } from './project-files.js';
import { redactedPatch } from './preview-diff.js';
import type { DeployMigration, DeploymentFacts } from './types.js';

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
  facts: DeploymentFacts;
  before: ProjectTexts;
  steps: DeployPlanStep[];
  /** Both files after the last migration (equal to `before` when nothing is needed). */
  after: ProjectTexts;
}

/** Which migration could not be planned, in the error the user reads; our own errors keep their kind and hint. */
function failedToPlan(name: string, error: unknown): GlowwormError {
  const inner = toGlowwormError(error);
  return new GlowwormError(`Deployment migration ${name} could not be planned: ${inner.message}`, { kind: inner.kind, code: inner.code, hint: inner.hint, cause: inner });
}

export async function planMigrations(
  facts: DeploymentFacts,
  candidates: DeployMigration[],
  before: ProjectTexts,
  files: { composeFile: string; envFile: string },
  labels: { compose: string; env: string },
  redactor: Redactor,
): Promise<DeployPlan> {
  const learnSecrets = (env: string | null) => EnvFile.parse(env).secretValues().forEach((secret) => redactor.add(secret));
  learnSecrets(before.env);
  const steps: DeployPlanStep[] = [];
  let texts = before;
  for (const migration of candidates) {
    const notes: string[] = [];
    const run = startMigration(migration, facts, texts, files, redactor, notes);
    try {
      if (!migration.needed(run.context)) continue;
      await migration.up(run.context);
    } catch (error) {
      throw failedToPlan(migration.name, error);
    }
    const after = run.result();
    learnSecrets(after.env);
    const diff = redactedPatch([
      { label: labels.compose, before: texts.compose, after: after.compose },
      { label: labels.env, before: texts.env, after: after.env },
    ], redactor);
    steps.push({ name: migration.name, description: migration.description, diff, notes, after });
    texts = after;
  }
  return { facts, before, steps, after: texts };
}
