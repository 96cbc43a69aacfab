// The engine's public surface, as one port the CLI and the TUI are given (the TUI's tests pass a fake of it; the
// real one is `engine` in engine.ts). Runs that change things are event streams; read-only questions are promises.
import type { EngineEvent, LogLevel } from './events.js';
import type { Plan } from './plan/plan.js';
import type { PendingRevision } from './plan/plan.js';
import type { BackupManifest } from './backup/manifest.js';
import type { HalfApplied } from './verify/half-applied.js';
import type { TagFilter } from './registry/release-tags.js';
import type { MigrationTiming, RunFacts } from './history/run-record.js';
import type { RunStatus } from './runbook/journal.js';

/**
 * A compose project, resolved once with compose's rules (src/cli/project-args.ts): the project directory (where
 * `.glowworm/` lives), the compose files in merge order, the project name and the env file. Every load of the project
 * after that passes all four, so each command sees the same project the user named.
 */
export interface ProjectOptions {
  projectDir: string;
  files?: string[];
  projectName?: string;
  envFile?: string;
}

/** How a run asks its questions. Without a person, the CLI passes functions that fail naming the flag to use. */
export interface RunIO {
  signal?: AbortSignal;
  /** Yes/no before a run changes anything; `summary` says what it will do. */
  confirm(summary: string): Promise<boolean>;
}

export interface TypedConfirmIO extends RunIO {
  /** The user must type `expected` (a database name) to go on. */
  confirmTyped(expected: string, prompt: string): Promise<boolean>;
}

export interface UpgradeRequest extends ProjectOptions {
  toTag?: string | null;
  backup?: boolean;
  pull?: boolean;
  resume?: boolean;
  /** Roll back an unfinished run instead of continuing it. */
  rollback?: boolean;
  /** Run the new migrations on the restored backup first; a failure stops the upgrade before anything changes. */
  rehearse?: boolean;
  timeoutMs?: number;
}

/**
 * The answer to a plan: `true` upgrades, `false` cancels, `'rehearse'` upgrades after running the new migrations on
 * the verified backup's copy (offered only when `canRehearse(plan)`; the same as `--rehearse`).
 */
export type PlanAnswer = boolean | 'rehearse';

export interface UpgradeRunIO {
  signal?: AbortSignal;
  confirm(plan: Plan): Promise<PlanAnswer>;
}

export interface ServiceStatus {
  service: string;
  role: string;
  container: string | null;
  state: string;
  health: string | null;
  restartCount: number;
  image: string | null;
  version: string | null;
}

export interface StatusReport {
  project: { name: string; dir: string; files: string[] };
  services: ServiceStatus[];
  database: { reachable: boolean; name: string | null; revisions: string[] | null; tables: number | null };
  /** The running backend image's Alembic heads, and what the database still lacks to reach them. */
  backendImage: { ref: string; heads: string[]; pending: PendingRevision[] | null; error?: string } | null;
  latestBackup: { path: string; createdAt: string; verified: boolean | null } | null;
  warnings: string[];
}

export interface CommandOutput {
  command: string;
  exitCode: number;
  output: string;
  /** Where it ran: in the backend container, or a throwaway one when the backend is down (restart loop). */
  ranIn: 'backend' | 'throwaway';
}

export interface SchemaReport {
  revisions: string[];
  expectedTables: string[];
  presentTables: string[];
  missingTables: string[];
  unexpectedTables: string[];
  /** When the DB is between revisions (a failed migration left DDL behind): what the next revision already did. */
  halfApplied: HalfApplied | null;
  ok: boolean;
}

export type { HalfApplied };

export type LogFilter = 'all' | 'migration' | 'errors';

export interface ServiceLogLine {
  service: string;
  stream: 'stdout' | 'stderr';
  text: string;
  level: LogLevel;
  /** When the container wrote it (docker's own timestamp); absent where none is known (a log kept from a removed container). */
  ts?: number;
}

export interface BackupInfo {
  path: string;
  manifest: BackupManifest | null;
}

export interface EngineApi {
  upgrade(req: UpgradeRequest, io: UpgradeRunIO): AsyncIterable<EngineEvent>;
  status(opts: ProjectOptions): Promise<StatusReport>;
  alembic(opts: ProjectOptions, what: 'current' | 'history'): Promise<CommandOutput>;
  verifySchema(opts: ProjectOptions): Promise<SchemaReport>;
  /** `alembic upgrade head` by hand, after a verified backup. */
  migrate(opts: ProjectOptions, io: RunIO): AsyncIterable<EngineEvent>;
  /** The backend crash-loops on a release pulled by hand: put the version that worked back (commands/recover-run.ts). */
  recover(opts: ProjectOptions, io: RunIO): AsyncIterable<EngineEvent>;
  logs(opts: ProjectOptions, query: { service?: string; filter: LogFilter; follow: boolean; tail?: number }, signal?: AbortSignal): AsyncIterable<ServiceLogLine>;
  listBackups(opts: ProjectOptions): Promise<BackupInfo[]>;
  /** Stops the app while dumping: only a quiet database gives checksums the verification can compare. */
  backup(opts: ProjectOptions, io: RunIO): AsyncIterable<EngineEvent>;
  restore(opts: ProjectOptions & { file: string }, io: TypedConfirmIO): AsyncIterable<EngineEvent>;
  reset(opts: ProjectOptions, io: TypedConfirmIO): AsyncIterable<EngineEvent>;
  /** Newer releases and moved tags, asked of the registry's API: nothing pulled, nothing changed (commands/check.ts). */
  check(opts: CheckOptions): Promise<CheckReport>;
  /** Every run of the project from its journals, newest first (commands/history.ts). */
  history(opts: ProjectOptions): Promise<HistoryEntry[]>;
}

// The reports of `check` (commands/check.ts) and `history` (commands/history.ts): declared with the port they cross.
export interface CheckedImage {
  /** The image as the compose file names it. */
  image: string;
  /** The app services (backend, workers, frontend) that run it. */
  services: string[];
  tag: string | null;
  /** The digests the running image was pulled or pushed under (its RepoDigests); empty when it was only built here. */
  runningDigests: string[];
  /** What the registry's tag points at now; null when the registry has no such tag. */
  registryDigest: string | null;
  /** true: the tag points at another image than the one running; null: cannot tell (no RepoDigests, no such tag). */
  tagMoved: boolean | null;
  /** Version tags newer than the running tag, newest first (none when the tag is not a version). */
  newer: string[];
  /** Why this image could not be checked (the registry unreachable, a denied pull); the others still are. */
  error: string | null;
}

export interface CheckReport {
  project: { name: string; dir: string };
  images: CheckedImage[];
  updateAvailable: boolean;
  /**
   * What an unattended upgrade does: `--to` the backend's newest newer tag, else (a tag moved) the compose file's own
   * tags again (`toTag` null, the upgrade pulls them); null: nothing to do.
   */
  upgradeTo: { toTag: string | null; reason: 'newer-release' | 'tag-moved' } | null;
}

export interface CheckOptions extends ProjectOptions {
  filter?: TagFilter;
}

/** A run: its facts (from → to, durations, backup, the failing revision) and what its journal shows. */
export interface HistoryEntry extends Omit<RunFacts, 'durationMs'> {
  /** null while it runs. */
  durationMs: number | null;
  runId: string;
  command: string;
  startedAt: string;
  endedAt: string | null;
  /** The journal's status (`completed`, `rolled-back`, `rollback-incomplete`, …); `unreadable` for a broken journal. */
  status: RunStatus | 'unreadable';
  /** How the run ended for the CLI (the exit code's name), when it was recorded. */
  outcome: string | null;
  migrations: MigrationTiming[];
  rehearsal: MigrationTiming[];
  /** The steps the journal shows, with their durations. */
  steps: { id: string; title: string; status: string; durationMs: number | null }[];
  journal: string;
}
