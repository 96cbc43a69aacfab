// What one deployment migration works on: the compose file and `.env` as editable documents, parsed from text. The
// runner builds one per migration, from the files on disk (up/down) or from the previous migration's in-memory
// result (preview), so a preview and a real run execute the very same migration code.
import { basename, relative } from 'node:path';
import type { Redactor } from '../secrets.js';
import { ComposeDocument } from './compose-edit.js';
import { EnvFile, generateSecret } from './env-edit.js';
import type { ProjectTexts } from './project-files.js';
import type { DeployMigration, DeployMigrationContext, DeploymentFacts } from './types.js';

export interface MigrationRun {
  context: DeployMigrationContext;
  /** Both files as the migration left them. */
  result(): ProjectTexts;
}

export function startMigration(
  migration: Pick<DeployMigration, 'name' | 'imageFiles'>,
  facts: DeploymentFacts,
  texts: ProjectTexts,
  files: { composeFile: string; envFile: string },
  redactor: Redactor,
  notes: string[],
): MigrationRun {
  const compose = ComposeDocument.parse(texts.compose, basename(files.composeFile));
  const env = EnvFile.parse(texts.env);
  const { name } = migration;
  const context: DeployMigrationContext = {
    name,
    compose,
    env,
    facts,
    targetHas: (path) => {
      // A path nobody asked the image about would read as "absent": a silent wrong answer, so refuse it.
      if (!migration.imageFiles?.includes(path)) throw new Error(`${name} asks about ${path} without listing it in imageFiles`);
      return facts.targetBackendFiles[path] === true;
    },
    generateSecret: () => {
      const secret = generateSecret();
      redactor.add(secret);
      return secret;
    },
    note: (message) => notes.push(redactor.redactText(`${name}: ${message}`)),
  };
  return { context, result: () => ({ compose: compose.toString(), env: env.toString() }) };
}

/** Names for diff headers: the compose file's name, and `.env` relative to it. */
export function fileLabels(files: { composeFile: string; envFile: string }, composeDir: string): { compose: string; env: string } {
  return { compose: basename(files.composeFile), env: relative(composeDir, files.envFile) || basename(files.envFile) };
}
