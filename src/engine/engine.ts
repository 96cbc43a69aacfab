// The real EngineApi: what the CLI and the TUI are given. Each entry is a thin call into one command module.
import type { EngineApi } from './api.js';
import { listBackups } from './backup/store.js';
import { runAlembic } from './commands/alembic-command.js';
import { backupRun } from './commands/backup-run.js';
import { checkForUpdates } from './commands/check.js';
import { readHistory } from './commands/history.js';
import { serviceLogs } from './commands/logs.js';
import { migrateRun } from './commands/migrate-run.js';
import { recoverRun } from './commands/recover-run.js';
import { resetRun } from './commands/reset-run.js';
import { restoreRun } from './commands/restore-run.js';
import { readStatus } from './commands/status.js';
import { upgrade } from './commands/upgrade.js';
import { verifySchema } from './commands/verify-schema.js';
import { deploymentMigrations } from './deploy-migrations/port.js';

export const engine: EngineApi = {
  upgrade: (req, io) => upgrade(req, { confirm: io.confirm, signal: io.signal, deployments: deploymentMigrations }),
  status: (opts) => readStatus(opts),
  alembic: (opts, what) => runAlembic(opts, what),
  verifySchema: (opts) => verifySchema(opts),
  migrate: (opts, io) => migrateRun(opts, io),
  recover: (opts, io) => recoverRun(opts, io),
  logs: (opts, query, signal) => serviceLogs(opts, query, signal),
  listBackups: (opts) => listBackups(opts.projectDir),
  backup: (opts, io) => backupRun(opts, io),
  restore: (opts, io) => restoreRun(opts, io),
  reset: (opts, io) => resetRun(opts, io),
  check: (opts) => checkForUpdates(opts),
  history: (opts) => readHistory(opts),
};
