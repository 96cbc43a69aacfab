// The doctor's menu: what each item is called and what it will do, said before it does it. Items that change the
// deployment (`changes`) go through a confirm screen: the engine's own summary, answered with y/n or a typed name.
import type { LogFilter } from '../../engine/api.js';

export type DoctorItemId =
  | 'status'
  | 'alembic-current'
  | 'alembic-history'
  | 'verify-schema'
  | 'recover'
  | 'migrate'
  | 'logs'
  | 'backups'
  | 'history'
  | 'backup'
  | 'restore';

export interface DoctorItem {
  id: DoctorItemId;
  label: string;
  explains: string;
  changes: boolean;
}

export const DOCTOR_ITEMS: readonly DoctorItem[] = [
  { id: 'status', label: 'Status overview', changes: false,
    explains: 'Reads the containers (state, health, restarts, images), the database revision against the backend image\'s head, the pending migrations and the newest backup. Changes nothing.' },
  { id: 'alembic-current', label: 'Alembic current', changes: false,
    explains: 'Runs `alembic current` in the backend container, or in a throwaway container of its image when the backend is restart-looping. Changes nothing.' },
  { id: 'alembic-history', label: 'Alembic history', changes: false,
    explains: 'Runs `alembic history --verbose` the same way: every revision the backend image knows, merges included. Changes nothing.' },
  { id: 'verify-schema', label: 'Verify schema', changes: false,
    explains: 'Compares the tables in the database with what the recorded revision should have, and finds a migration that failed half-way (its tables there, alembic_version not moved). Changes nothing.' },
  { id: 'recover', label: 'Recover from a release that crash-loops', changes: true,
    explains: 'When the backend restart-loops because a pulled release\'s migration fails: finds the version that worked on this engine, takes and verifies a backup, removes only what the failed revision created, puts the working image back (the compose file too) and verifies. You confirm first.' },
  { id: 'migrate', label: 'Run migrations manually', changes: true,
    explains: 'Stops the app, takes a backup and verifies it by restoring it into a throwaway database, runs `alembic upgrade head` with the backend image, then starts the app. You confirm first.' },
  { id: 'logs', label: 'Show logs', changes: false,
    explains: 'The backend\'s log: only migration, database and schema lines, only errors, or everything as it comes. Changes nothing.' },
  { id: 'backups', label: 'List backups', changes: false,
    explains: 'The backups in this project\'s .glowworm/backups, newest first, with what each holds and whether it was verified. Changes nothing.' },
  { id: 'backup', label: 'Back up now', changes: true,
    explains: 'Dumps the database while the app serves when every table is InnoDB (one consistent snapshot; otherwise the app is stopped while it dumps, and the tables that need it are named), verifies the dump in a throwaway database. You confirm first.' },
  { id: 'restore', label: 'Restore a backup', changes: true,
    explains: 'Pick a backup; the current database is backed up first, then replaced by the one you picked. You type the database name to confirm.' },
  { id: 'history', label: 'Run history', changes: false,
    explains: 'Every run of this project from its journals (.glowworm/runs), newest first: when, from → to, how it ended, the downtime, and each migration with its duration. Changes nothing.' },
];

export interface LogChoice {
  label: string;
  filter: LogFilter;
  follow: boolean;
}

export const LOG_CHOICES: readonly LogChoice[] = [
  { label: 'Migration, database and schema lines (last 500)', filter: 'migration', follow: false },
  { label: 'Errors only (last 500)', filter: 'errors', follow: false },
  { label: 'Follow migration, database and schema lines, live', filter: 'migration', follow: true },
  { label: 'Follow errors only, live', filter: 'errors', follow: true },
  { label: 'Follow everything, live', filter: 'all', follow: true },
];

export function doctorItem(id: DoctorItemId): DoctorItem {
  return DOCTOR_ITEMS.find((i) => i.id === id)!;
}

/** The menu as the doctor shows it: when the backend crash-loops now, the way out of that comes first. */
export function menuOrder(crashLoop: boolean): readonly DoctorItemId[] {
  const ids = DOCTOR_ITEMS.map((i) => i.id);
  return crashLoop ? ['recover', ...ids.filter((id) => id !== 'recover')] : ids;
}
