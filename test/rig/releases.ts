// The GlowWorm versions of the rig's own model (1.0.0 … 2.0.0): which Alembic migrations ship and the head the
// database reaches. The releases shaped like GlowWorm's real history are in real-releases.ts.

export const RIG_VERSIONS = ['1.0.0', '1.1.0', '1.2.0-broken', '2.0.0'] as const;
export type RigVersion = (typeof RIG_VERSIONS)[number];

/** A migration shipped in app/alembic/versions/ (file names are not revision ids). */
export interface MigrationFile {
  /** Path under fixtures/backend/migrations/; the image gets its base name. */
  file: string;
  /**
   * Python lines put at the top of upgrade(): how a release shipped a broken body of a revision whose corrected body
   * (the file as it is) came later under the same id. One source for the DDL both releases share.
   */
  brokenPrologue?: string[];
}

/** What differs between backend images in code (the stand-in reads it from /app/release.json). */
export interface BackendRecipe {
  migrations: MigrationFile[];
  /** The single head of the shipped Alembic graph. */
  head: string;
  /** Values of the application's SettingType enum; a stored setting_type outside it makes GET /api/settings 500. */
  settingTypes: readonly string[];
  /** 'child': the start script runs the server without exec, so SIGTERM never reaches it. */
  serverLaunch: 'exec' | 'child';
  /** Ships /app/celery_app.py, which the worker's `celery -A celery_app` imports. */
  celeryApp: boolean;
  /** Dockerfile HEALTHCHECK `curl /health && verify-migrations.py` (the worker inherits it: unhealthy by design). */
  imageHealthcheck: boolean;
}

export interface Release extends BackendRecipe {
  version: RigVersion;
}

const files = (...names: string[]): MigrationFile[] => names.map((file) => ({ file }));
const V1_0 = files('0001_initial_schema.py', 'a1b2_device_logs.py');
const V1_1 = [
  ...V1_0,
  ...files('c2d3_user_activity_logs.py', '1c0c_playlist_schedules.py', '3663_merge_heads.py', 'ce58_playlist_variants.py'),
];
const RIG_MODEL = {
  settingTypes: ['string', 'integer', 'boolean', 'json'],
  serverLaunch: 'exec',
  celeryApp: true,
  imageHealthcheck: false,
} as const;

export const RELEASES: Record<RigVersion, Release> = {
  '1.0.0': { version: '1.0.0', migrations: V1_0, head: 'a1b2c3d4e5f6', ...RIG_MODEL },
  '1.1.0': { version: '1.1.0', migrations: V1_1, head: 'ce5826f818f3', ...RIG_MODEL },
  // Its only new migration fails half-way: the database stays at ce5826f818f3 and the backend restart-loops.
  '1.2.0-broken': {
    version: '1.2.0-broken',
    migrations: [...V1_1, ...files('2024_11_09_daemon_tables_broken.py')],
    head: '2024110900',
    ...RIG_MODEL,
  },
  // The working 2024110900 that fixes 1.2.0-broken, and scheduled_actions.
  '2.0.0': {
    version: '2.0.0',
    migrations: [...V1_1, ...files('2024_11_09_daemon_tables.py', '2024_11_09b_scheduled_actions.py')],
    head: '2024110901',
    ...RIG_MODEL,
  },
};

export function isRigVersion(value: string): value is RigVersion {
  return (RIG_VERSIONS as readonly string[]).includes(value);
}
