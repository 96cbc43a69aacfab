// The engine's public surface, as one port the CLI and the TUI are given (the TUI's tests pass a fake of it; the
// real one is `engine` in engine.ts). Runs that change things are event streams; read-only questions are promises.
import type { EngineEvent, LogLevel } from './events.js';
import type { Plan } from './plan/plan.js';
import type { PendingRevision } from './plan/plan.js';
import type { BackupManifest } from './backup/manifest.js';
import type { HalfApplied } from './verify/half-applied.js';
import type { CheckOptions, CheckReport } from './commands/check.js';
import type { HistoryEntry } from './commands/history.js';

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

export type { HalfApplied, CheckOptions, CheckReport, HistoryEntry };

export type LogFilter = 'all' | 'migration' | 'errors';

export interface ServiceLogLine {
  service: string;
  stream: 'stdout' | 'stderr';
  text: string;
  level: LogLevel;
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
