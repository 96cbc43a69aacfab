// What a deployment migration is: one reversible change to the user's deployment (compose file, `.env`) that a
// release needs. A file `migrations/<NNN>-<slug>.ts` exports `description`, `needed`, `up` and `down`. Whether it is
// needed is decided from what the user's files already have and from what the target release is (files in its backend
// image, its Alembic revisions) — never from a version number or how a tag is spelled: GlowWorm's real images carry
// no version label and move the tags `latest` and `test`.
import type { ComposeDocument } from './compose-edit.js';
import type { EnvFile } from './env-edit.js';

/** A mount of a running container, as Docker reports it. */
export interface RunningMount {
  type: string;
  /** Host path of a bind mount, or the volume's mount point on the host. */
  source: string;
  /** Volume name; null for a bind mount. */
  name: string | null;
  destination: string;
}

/** What the engine knows about the deployment and the release it goes to, beyond the two files. */
export interface DeploymentFacts {
  /** Paths asked of the target backend image (the migrations' `imageFiles`), and whether each one is there. */
  targetBackendFiles: Record<string, boolean>;
  /** The Alembic revisions the target backend image ships (empty when they could not be read). */
  targetRevisions: string[];
  /** Per compose service, what its running container mounts (absent: no container). */
  running: Record<string, { mounts: RunningMount[] }>;
  /** The compose project: relative paths resolve against `dir`; named volumes are `<name>_<key>` in Docker. */
  project: { dir: string; name: string };
}

export const NO_FACTS: DeploymentFacts = { targetBackendFiles: {}, targetRevisions: [], running: {}, project: { dir: '.', name: '' } };

export interface DeployMigrationContext {
  /** This migration's name (`001-redis-service`): pass it as `addedBy` to what you add. */
  name: string;
  compose: ComposeDocument;
  env: EnvFile;
  facts: DeploymentFacts;
  /** Whether the target backend image has this file; the path must be one of the migration's `imageFiles`. */
  targetHas(path: string): boolean;
  /** A new secret for `.env`. Use this, not env-edit's generateSecret(): the runner masks what it returns in every diff. */
  generateSecret(): string;
  /** Something the user should know (shown with the preview and the result), e.g. what was left in place and why. */
  note(message: string): void;
}

export interface DeployMigrationModule {
  /** One line for the plan, e.g. "Add the glowworm-redis service (celery's broker)". */
  description: string;
  /** Files of the target backend image this migration's `needed` asks about (`ctx.targetHas`). */
  imageFiles?: string[];
  /** Whether this deployment needs it now: the files as the earlier migrations left them, and the facts. Pure. */
  needed(ctx: DeployMigrationContext): boolean;
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

/** One deployment change as the plan shows it. */
export interface DeployChange {
  name: string;
  description: string;
  /** Unified diff of the compose file and `.env` (secret values redacted). */
  diff: string;
  /** What the user should know about it (what was kept and why, what to check afterwards). */
  notes?: string[];
}

/**
 * The deployment-migration runner as the upgrade needs it (implemented over umzug in deploy-migrations/).
 * `apply` must write exactly the texts `preview` returned: the user confirmed that diff. Generated secrets are
 * therefore made once, at preview, and reused by apply.
 */
export interface DeploymentMigrationsPort {
  /** Files of the target backend image the migrations ask about; the preflight looks them up for the facts. */
  imageFiles(): Promise<string[]>;
  preview(facts: DeploymentFacts, files: { compose: string; env: string | null }, targetImage?: string): Promise<{
    changes: DeployChange[];
    compose: string;
    env: string | null;
  }>;
  /** Apply the migrations the preview showed; returns their names. */
  apply(): Promise<string[]>;
  /** The engine has finished writing the files (image tags after the migrations): remember them as the result. */
  settle(): Promise<void>;
  /** Mark the migrations this run applied as reverted (their bytes are put back by restoreOriginals). */
  revert(): Promise<string[]>;
}
