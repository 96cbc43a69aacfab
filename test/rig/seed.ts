import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { withDatabase, type StackRef } from './db.js';
import { say, timed } from './log.js';

// Sizes of the default seed: a few thousand rows across the tables every version has (device_logs only once its
// migration ran). Rows are generated inside MariaDB (its SEQUENCE engine's seq_1_to_N tables), not sent one by one.
export const SEED_COUNTS = { users: 25, albums: 40, playlists: 30, images: 3000, displayDevices: 20, deviceLogs: 2500 };

/** The system_settings rows; GET /api/settings returns them typed, under `settings`, with the bootstrap settings. */
export const SEEDED_SETTINGS: { key: string; value: string; type: string; description: string }[] = [
  { key: 'site_name', value: 'GlowWorm at Home', type: 'string', description: 'Name shown in the header' },
  { key: 'default_display_time_seconds', value: '30', type: 'integer', description: 'Seconds per image' },
  { key: 'transition_effect', value: 'fade', type: 'string', description: 'Transition between images' },
  { key: 'shuffle_by_default', value: 'false', type: 'boolean', description: 'New playlists shuffle' },
  { key: 'max_upload_mb', value: '50', type: 'integer', description: 'Largest accepted upload' },
  { key: 'thumbnail_sizes', value: '[256, 512, 1024]', type: 'json', description: 'Generated thumbnail widths' },
  { key: 'timezone', value: 'Europe/Berlin', type: 'string', description: 'Time zone of schedules' },
  { key: 'device_heartbeat_seconds', value: '60', type: 'integer', description: 'Expected device check-in' },
  { key: 'allow_registration', value: 'false', type: 'boolean', description: 'Open sign-up' },
  { key: 'log_retention_days', value: '30', type: 'integer', description: 'Device log retention' },
];

const PASSWORD_ITERATIONS = 10_000;

/** The backend's password format: pbkdf2_sha256$<iterations>$<salt>$<hex digest>. */
export function hashPassword(password: string): string {
  const salt = randomBytes(8).toString('hex');
  const digest = pbkdf2Sync(password, salt, PASSWORD_ITERATIONS, 32, 'sha256').toString('hex');
  return `pbkdf2_sha256$${PASSWORD_ITERATIONS}$${salt}$${digest}`;
}

/**
 * The values the stack's schema accepts where releases differ: enum columns that migrations redefine (display modes,
 * log level case, 'number' for 'integer' settings), and whether device_logs exists yet (not at the October head).
 */
export interface SeedVocabulary {
  displayModes: [string, string, string];
  /** undefined: the schema has no device_logs table. */
  logLevel?: (level: 'info' | 'warning' | 'error') => string;
  settingType: (type: string) => string;
}

/** An enum column's values, [] for another type, undefined when the table or column does not exist. */
async function enumValues(db: mysql.Connection, table: string, column: string): Promise<string[] | undefined> {
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    'SELECT COLUMN_TYPE AS type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?',
    [table, column],
  );
  if (rows.length === 0) return undefined;
  const list = /^enum\((.*)\)$/i.exec(String(rows[0]?.type))?.[1];
  return list === undefined ? [] : [...list.matchAll(/'((?:[^']|'')*)'/g)].map((match) => (match[1] ?? '').replace(/''/g, "'"));
}

export async function seedVocabulary(db: mysql.Connection): Promise<SeedVocabulary> {
  const modes = await enumValues(db, 'playlists', 'display_mode');
  const levels = await enumValues(db, 'device_logs', 'log_level');
  const settingTypes = (await enumValues(db, 'system_settings', 'setting_type')) ?? [];
  const [first, second, third] = modes ?? [];
  return {
    displayModes: first && second && third ? [first, second, third] : ['default', 'ken_burns', 'split'],
    logLevel: levels && ((level) => levels.find((value) => value.toLowerCase() === level) ?? level),
    settingType: (type) => (type === 'integer' && settingTypes.length && !settingTypes.includes(type) ? 'number' : type),
  };
}

function seedStatements(
  c: typeof SEED_COUNTS,
  words: SeedVocabulary,
  adminUsername: string,
  adminHash: string,
  userHash: string,
): string[] {
  const [info, warning, error] = (['info', 'warning', 'error'] as const).map((level) => q(words.logLevel?.(level) ?? level));
  return [
    `INSERT INTO users (username, email, hashed_password, display_name, role, is_active, created_at)
     VALUES (${q(adminUsername)}, 'admin@glowworm.test', ${q(adminHash)}, 'Administrator', 'admin', 1, NOW() - INTERVAL 400 DAY)`,
    `INSERT INTO users (username, email, hashed_password, display_name, role, is_active, created_at)
     SELECT CONCAT('user', seq), CONCAT('user', seq, '@glowworm.test'), ${q(userHash)}, CONCAT('User ', seq),
            'user', seq % 7 <> 0, NOW() - INTERVAL seq DAY FROM seq_1_to_${c.users - 1}`,
    `INSERT INTO albums (name, description, created_by, created_at)
     SELECT CONCAT('Album ', seq), CONCAT('Photos of trip ', seq), 1 + seq % ${c.users}, NOW() - INTERVAL seq DAY
     FROM seq_1_to_${c.albums}`,
    `INSERT INTO playlists (name, slug, is_default, shuffle, display_time_seconds, display_mode, created_by, created_at)
     SELECT CONCAT('Playlist ', seq), CONCAT('playlist-', seq), seq = 1, seq % 2, 10 + seq % 50,
            ELT(1 + seq % 3, ${words.displayModes.map(q).join(', ')}), 1 + seq % ${c.users}, NOW() - INTERVAL seq DAY
     FROM seq_1_to_${c.playlists}`,
    `INSERT INTO images (filename, original_filename, album_id, width, height, file_size, mime_type, exif_data,
                         uploaded_by, uploaded_at)
     SELECT CONCAT(LPAD(seq, 6, '0'), '.jpg'), CONCAT('IMG_', seq, '.JPG'), 1 + seq % ${c.albums},
            IF(seq % 3 = 0, 3024, 4032), IF(seq % 3 = 0, 4032, 3024), 1500000 + seq * 37,
            IF(seq % 10 = 0, NULL, 'image/jpeg'),
            JSON_OBJECT('Make', 'Canon', 'Model', 'EOS R6', 'ISO', 100 + seq % 3200, 'FNumber', 1.8 + seq % 8),
            1 + seq % ${c.users}, NOW() - INTERVAL seq HOUR
     FROM seq_1_to_${c.images}`,
    `INSERT INTO display_devices (device_token, device_name, status, resolution_width, resolution_height, playlist_id,
                                  last_seen, created_at)
     SELECT SHA2(CONCAT('device-', seq, '-', RAND()), 256), CONCAT('Frame ', seq),
            ELT(1 + seq % 4, 'authorized', 'authorized', 'pending', 'offline'),
            IF(seq % 2 = 0, 1920, 1080), IF(seq % 2 = 0, 1080, 1920), 1 + seq % ${c.playlists},
            NOW() - INTERVAL seq MINUTE, NOW() - INTERVAL seq DAY
     FROM seq_1_to_${c.displayDevices}`,
    ...(words.logLevel
      ? [
          `INSERT INTO device_logs (device_id, log_level, message, created_at)
     SELECT 1 + seq % ${c.displayDevices}, ELT(1 + seq % 5, ${info}, ${info}, ${info}, ${warning}, ${error}),
            CONCAT('heartbeat ', seq, ': showing image ', 1 + seq % ${c.images}), NOW() - INTERVAL seq MINUTE
     FROM seq_1_to_${c.deviceLogs}`,
        ]
      : []),
    // A migration may have stored defaults under the same keys (f123456789ab does): the user's values win.
    `INSERT INTO system_settings (setting_key, setting_value, setting_type, description, updated_at) VALUES ${SEEDED_SETTINGS.map(
      (s) => `(${q(s.key)}, ${q(s.value)}, ${q(words.settingType(s.type))}, ${q(s.description)}, NOW())`,
    ).join(', ')}
     ON DUPLICATE KEY UPDATE setting_value = VALUES(setting_value), setting_type = VALUES(setting_type),
                             description = VALUES(description), updated_at = VALUES(updated_at)`,
  ];
}

/** SQL string literal for values we generate ourselves (hashes, fixed text: no quotes or backslashes inside). */
function q(value: string): string {
  if (/['\\]/.test(value)) throw new Error(`refusing to inline ${JSON.stringify(value)} into seed SQL`);
  return `'${value}'`;
}

async function isSeeded(db: mysql.Connection): Promise<boolean> {
  const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM users');
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Seeds the default data set once (a stack that already has users is left as it is). */
export async function seedStack(
  stack: StackRef,
  admin: { username: string; password: string },
  /** Rows in images and in device_logs, the two big tables (default SEED_COUNTS). */
  seedRows?: number,
): Promise<boolean> {
  const counts = seedRows ? { ...SEED_COUNTS, images: seedRows, deviceLogs: seedRows } : SEED_COUNTS;
  const seeded = await withDatabase(stack, async (db) => {
    if (await isSeeded(db)) return false;
    const userHash = hashPassword(`user-password-${randomBytes(6).toString('hex')}`);
    const words = await seedVocabulary(db);
    await db.query('START TRANSACTION');
    for (const statement of seedStatements(counts, words, admin.username, hashPassword(admin.password), userHash)) {
      await db.query(statement);
    }
    await db.query('COMMIT');
    return true;
  });
  if (seeded) writeUploads(stack.dir);
  return seeded;
}

export const SEEDED_UPLOADS = 20;

/** Small files of random bytes in the bind-mounted uploads folder, so tests can check backups and upgrades keep them. */
function writeUploads(dir: string): void {
  const uploads = join(dir, 'data', 'uploads');
  mkdirSync(uploads, { recursive: true });
  for (let i = 1; i <= SEEDED_UPLOADS; i++) writeFileSync(join(uploads, `${String(i).padStart(6, '0')}.jpg`), randomBytes(4096));
}

const BLOB_ROW_BYTES = 64 * 1024;
const BLOB_ROWS_PER_STATEMENT = 256;

/**
 * Grows the database to about targetMb megabytes with image rows carrying 64 KiB thumbnails of random (so
 * incompressible, like JPEG) bytes, generated inside MariaDB: 16 MiB per statement, nothing crosses the wire.
 */
export async function growDatabase(stack: StackRef, targetMb: number): Promise<number> {
  return timed(`grow database to ~${targetMb} MB`, () =>
    withDatabase(stack, async (db) => {
      const sizeMb = async () => {
        await db.query('ANALYZE TABLE images');
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          'SELECT SUM(data_length + index_length) / 1048576 AS mb FROM information_schema.tables WHERE table_schema = DATABASE()',
        );
        return Number(rows[0]?.mb ?? 0);
      };
      // InnoDB stores off-page blobs with overhead, so measure after each 16 MiB statement instead of predicting.
      const blob = `CONCAT(${Array.from({ length: BLOB_ROW_BYTES / 1024 }, () => 'RANDOM_BYTES(1024)').join(', ')})`;
      for (let i = 1; (await sizeMb()) < targetMb; i++) {
        await db.query(
          `INSERT INTO images (filename, original_filename, album_id, width, height, file_size, mime_type, exif_data,
                               thumbnail_data, uploaded_by)
           SELECT CONCAT('bulk-', ${i}, '-', seq, '.jpg'), CONCAT('BULK_', seq, '.JPG'), 1 + seq % ${SEED_COUNTS.albums},
                  4032, 3024, 4000000 + seq, 'image/jpeg', JSON_OBJECT('Make', 'Bulk', 'Row', seq), ${blob}, 1
           FROM seq_1_to_${BLOB_ROWS_PER_STATEMENT}`,
        );
        if (i % 8 === 0) say(`  … ${(i * BLOB_ROWS_PER_STATEMENT * BLOB_ROW_BYTES) / 1048576} MB of thumbnails added`);
      }
      return Math.round(await sizeMb());
    }),
  );
}
