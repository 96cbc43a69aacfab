// What a deployment migration is: one versioned, reversible change to the user's deployment (compose file, `.env`)
// that a release needs. A file `migrations/<NNN>-<version>-<slug>.ts` exports `version`, `description`, `up` and
// `down`; the runner gives both functions a context holding the two files as editable documents and writes them
// back (or, for a preview, only diffs them).
import type { ComposeDocument } from './compose-edit.js';
import type { EnvFile } from './env-edit.js';

export interface DeployMigrationContext {
  /** This migration's name (`001-2.0.0-display-signing-key`): pass it as `addedBy` to what you add. */
  name: string;
  compose: ComposeDocument;
  env: EnvFile;
  /** A new secret for `.env`. Use this, not env-edit's generateSecret(): the runner masks what it returns in every diff. */
  generateSecret(): string;
  /** Something the user should know (shown with the preview and the result), e.g. what was left in place and why. */
  note(message: string): void;
}

export interface DeployMigrationModule {
  /** The release that needs it; it runs when upgrading to this version or a later one. */
  version: string;
  /** One line for the plan, e.g. "Add DISPLAY_SIGNING_KEY (a generated secret) to .env and to the backend". */
  description: string;
  up(ctx: DeployMigrationContext): void | Promise<void>;
  down(ctx: DeployMigrationContext): void | Promise<void>;
}

export interface DeployMigration extends DeployMigrationModule {
  /** The file name without extension; the journal's key. */
  name: string;
}

/** The deployment the migrations change. */
export interface DeployProject {
  /** Path of the compose file to edit (the first `-f` file when there are several). */
  composeFile: string;
  /** Default: `.env` beside the compose file. */
  envFile?: string;
  /** Default: the migrations shipped with glowworm (`migrations/`). */
  migrations?: DeployMigration[];
}
