// What a backup is, beside the dump: enough to verify it, restore it, and know what it came from — and no secrets.
import type { DumpSection } from './dump-sections.js';

export interface TableFacts {
  rows: number;
  checksum: string;
}

export interface BackupManifest {
  format: 1;
  createdAt: string;
  project: string;
  database: string;
  /** `SHOW CREATE DATABASE`, so a restore keeps the character set and collation. */
  createDatabase: string;
  dbImage: { ref: string; id: string };
  /** The app images running when the backup was taken, by service. */
  images: Record<string, { ref: string; id: string }>;
  alembic: string[];
  tables: Record<string, TableFacts>;
  /**
   * How `tables[].checksum` was computed: absent or `checksum-table` = CHECKSUM TABLE (a backup taken with the writers
   * stopped); `crc32-xor` = BIT_XOR of row CRC32s (db/chunk-checksum.ts), read in the dump's own snapshot while the
   * app served (an online backup): CHECKSUM TABLE does not read inside a transaction's snapshot.
   */
  checksumMethod?: 'checksum-table' | 'crc32-xor';
  /** Set for an online backup: how long the app's writers waited for the shared snapshot (backup/shared-snapshot.ts). */
  online?: { writersWaitedMs: number };
  /**
   * Set once an online backup was brought to the stop (backup/catch-up-backup.ts): the changes made since the dump
   * are appended to the file, and `tables`/`alembic` describe the database at the stop.
   */
  caughtUp?: { at: string; chunksCopied: number; tablesCopiedWhole: number };
  dump: {
    file: string;
    tool: string;
    bytes: number;
    uncompressedBytes: number;
    sha256: string;
    durationMs: number;
    /**
     * The file by table, in file order: where each one's gzip members lie and its SQL's sha256 (dump-sections.ts).
     * Absent in backups taken before sections existed; they are read and checked as a whole.
     */
    sections?: DumpSection[];
  };
  verified: { at: string; ok: boolean; detail: string } | null;
}

export function totalRows(manifest: Pick<BackupManifest, 'tables'>): number {
  return Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
}
