// A database against a backup's manifest, table by table: row counts, then CHECKSUM TABLE. One comparison for the
// three places that ask: verifying a backup (the restored copy), checking a restore, and a rollback deciding whether
// the schema moved since the backup.
import type { Db } from '../db/connection.js';
import { rowCounts, tableChecksums } from '../db/schema.js';
import type { BackupManifest } from './manifest.js';

/** What differs, one line per table (empty: every table of the manifest has its rows and checksum). */
export async function tableMismatches(db: Db, manifest: Pick<BackupManifest, 'tables'>): Promise<string[]> {
  const names = Object.keys(manifest.tables);
  const [sums, counts] = [await tableChecksums(db, names), await rowCounts(db, names)];
  const out: string[] = [];
  for (const t of names) {
    const want = manifest.tables[t]!;
    if (counts[t] !== want.rows) out.push(`${t}: ${counts[t]} rows, ${want.rows} expected`);
    else if (sums[t] !== want.checksum) out.push(`${t}: checksum ${sums[t]}, ${want.checksum} expected`);
  }
  return out;
}
