// The GlowWorm versions the rig builds, and what differs between them: which Alembic migrations ship, the head the
// database reaches, and the deployment change 2.0.0 needs (a signing key in .env and a new scheduler service).

export const RIG_VERSIONS = ['1.0.0', '1.1.0', '1.2.0-broken', '2.0.0'] as const;
export type RigVersion = (typeof RIG_VERSIONS)[number];

export interface Release {
  version: RigVersion;
  /** Files of fixtures/backend/migrations/ shipped in app/alembic/versions/ (file names are not revision ids). */
  migrationFiles: string[];
  /** The single head of the shipped Alembic graph. */
  head: string;
  /** 2.0.0 refuses to start without DISPLAY_SIGNING_KEY and adds the glowworm-scheduler service. */
  needsDisplaySigningKey: boolean;
}

const V1_0 = ['0001_initial_schema.py', 'a1b2_device_logs.py'];
const V1_1 = [...V1_0, 'c2d3_user_activity_logs.py', '1c0c_playlist_schedules.py', '3663_merge_heads.py', 'ce58_playlist_variants.py'];

export const RELEASES: Record<RigVersion, Release> = {
  '1.0.0': { version: '1.0.0', migrationFiles: V1_0, head: 'a1b2c3d4e5f6', needsDisplaySigningKey: false },
  '1.1.0': { version: '1.1.0', migrationFiles: V1_1, head: 'ce5826f818f3', needsDisplaySigningKey: false },
  // Its only new migration fails half-way: the database stays at ce5826f818f3 and the backend restart-loops.
  '1.2.0-broken': {
    version: '1.2.0-broken',
    migrationFiles: [...V1_1, '2024_11_09_daemon_tables_broken.py'],
    head: '2024110900',
    needsDisplaySigningKey: false,
  },
  '2.0.0': {
    version: '2.0.0',
    migrationFiles: [...V1_1, '2024_11_09_daemon_tables.py', '2024_11_09b_scheduled_actions.py'],
    head: '2024110901',
    needsDisplaySigningKey: true,
  },
};

export const DISPLAY_SIGNING_KEY_MISSING =
  '❌ DISPLAY_SIGNING_KEY is not set: GlowWorm 2.0 signs display-device URLs; add it to .env';

export function isRigVersion(value: string): value is RigVersion {
  return (RIG_VERSIONS as readonly string[]).includes(value);
}
