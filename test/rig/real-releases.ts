// Releases shaped like GlowWorm's real history (read from nstephens/glowworm; see glowworm-facts.md, "Real
// releases"). Upstream only ever published them under the moving tags `latest` and `test`, so the rig builds each
// once under an immutable rig name and publishes it under a tag per test (publish.ts). The names below are the rig's
// own build names; a user never sees them.
import type { BackendRecipe, MigrationFile } from './releases.js';

export const REAL_RELEASE_NAMES = ['oct-2025', 'nov-2025-1064', 'nov-2025'] as const;
export type RealReleaseName = (typeof REAL_RELEASE_NAMES)[number];

/**
 * The deployment a real release runs in. 'oct-2025': three services, MySQL in the bind mount ./data/mysql plus an
 * init.sql, backend port published, images `:latest`. 'newest': redis and a celery worker added, MySQL back on the
 * named volume mysql_data (no data move), VITE_BACKEND_URL, images `:test`.
 */
export type RealShape = 'oct-2025' | 'newest';
export const SHAPE_TAG: Record<RealShape, 'latest' | 'test'> = { 'oct-2025': 'latest', newest: 'test' };

export interface RealRelease extends BackendRecipe {
  name: RealReleaseName;
  shape: RealShape;
  /** /app/package.json of the frontend image (where the real image keeps its version). */
  frontend: { packageVersion: string; builtInBackend?: string };
  /** A release whose migration fails: the revision, and the one alembic_version is left at. */
  failure?: { revision: string; leavesDatabaseAt: string };
}

const real = (...names: string[]): MigrationFile[] => names.map((name) => ({ file: `real/${name}` }));

/**
 * Up to the late-October head 5595cc4b4e79: the rig's initial schema, then upstream's early history with its merge
 * 366388fee193 (two branches from eb81ce2b6740), which therefore sits below every release's head.
 */
const UP_TO_OCTOBER = [
  { file: '0001_initial_schema.py' },
  ...real(
    'eb81_display_mode_enum.py',
    'c169_recreate_display_mode_enum.py',
    '606a_display_mode_enum_mapping.py',
    'f123_settings_in_database.py',
    '3663_merge_display_mode_and_settings.py',
    '5595_user_role.py',
  ),
];

/** Upstream's 18 linear revisions from 5595cc4b4e79 to 2024111000_exec_tracking, oldest first. */
const BEFORE_DAEMON = real(
  'd2cc_display_resolution.py',
  'ce58_resolution_variants.py',
  '2cfb_show_image_info.py',
  'a1b2_device_logs.py',
  'b2c3_log_level_case.py',
  'c2d3_user_logs.py',
  '255b_more_display_modes.py',
  '75b7_dominant_colors.py',
  'abc1_fewer_display_modes.py',
  'e1f2_smart_pairing.py',
  'remove_movement_mode.py',
  'variant_type_names.py',
  '8e97_show_exif_date.py',
  '2d71_processing_status.py',
  '1c0c_playlist_schedules.py',
);
const DAEMON_FILE = 'real/2024_11_09_device_daemon.py';
const AFTER_DAEMON = real('2024_11_09b_scheduled_actions.py', '2024_11_10_execution_tracking.py');

/**
 * The field failure of mid-November 2025: a "clean re-run" prologue in PostgreSQL's dialect before the daemon tables.
 * MariaDB answers the first DROP TYPE with error 1064 (syntax), nothing is created, and alembic_version stays at
 * 1c0cd51f0957. The next release shipped the corrected body (the fixture file as it is) under the same id.
 */
const PG_CLEANUP_PROLOGUE = [
  '# Clean re-run: drop what an earlier attempt left behind, the enum types included.',
  'for leftover in ("daemonstatus", "commandtype", "commandstatus"):',
  '    op.execute(f"DROP TYPE IF EXISTS {leftover}")',
];

// Later images map settings by a SettingType enum that knows 'number'; October's did not (see f123's defaults).
const NEWEST_BACKEND = {
  settingTypes: ['string', 'number', 'boolean', 'json'],
  serverLaunch: 'exec',
  celeryApp: true,
  imageHealthcheck: true,
} as const;
const NEWEST_FRONTEND = { packageVersion: '2.0.0' };

export const REAL_RELEASES: Record<RealReleaseName, RealRelease> = {
  'oct-2025': {
    name: 'oct-2025',
    shape: 'oct-2025',
    migrations: UP_TO_OCTOBER,
    head: '5595cc4b4e79',
    settingTypes: ['string', 'integer', 'boolean', 'json'],
    serverLaunch: 'child',
    celeryApp: false,
    imageHealthcheck: false,
    frontend: { packageVersion: '0.0.0', builtInBackend: 'http://glowworm-backend:8001' },
  },
  'nov-2025-1064': {
    name: 'nov-2025-1064',
    shape: 'newest',
    migrations: [...UP_TO_OCTOBER, ...BEFORE_DAEMON, { file: DAEMON_FILE, brokenPrologue: PG_CLEANUP_PROLOGUE }],
    head: '2024110900_daemon',
    ...NEWEST_BACKEND,
    frontend: NEWEST_FRONTEND,
    failure: { revision: '2024110900_daemon', leavesDatabaseAt: '1c0cd51f0957' },
  },
  'nov-2025': {
    name: 'nov-2025',
    shape: 'newest',
    migrations: [...UP_TO_OCTOBER, ...BEFORE_DAEMON, { file: DAEMON_FILE }, ...AFTER_DAEMON],
    head: '2024111000_exec_tracking',
    ...NEWEST_BACKEND,
    frontend: NEWEST_FRONTEND,
  },
};

export function isRealRelease(value: string): value is RealReleaseName {
  return (REAL_RELEASE_NAMES as readonly string[]).includes(value);
}
