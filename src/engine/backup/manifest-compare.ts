// A database against a backup's manifest, table by table: row counts, then CHECKSUM TABLE. One comparison for the
// three places that ask: verifying a backup (the restored copy), checking a restore, and a rollback deciding whether
// the schema moved since the backup.
import { wholeTableSums } from '../db/chunk-checksum.js';
import type { Db } from '../db/connection.js';
import { rowCounts, tableChecksums } from '../db/schema.js';
import { tableShapes } from '../db/table-shapes.js';
import type { BackupManifest } from './manifest.js';

/** Every table's checksum and row count, by the method the manifest's were taken with. */
async function currentFacts(db: Db, names: string[], method: BackupManifest['checksumMethod']): Promise<{ sums: Record<string, string>; counts: Record<string, number> }> {
  if (method !== 'crc32-xor') return { sums: await tableChecksums(db, names), counts: await rowCounts(db, names) };
  const shapes = await tableShapes(db, names);
  const whole = await wholeTableSums(db, shapes);
  const sums: Record<string, string> = {};
  const counts: Record<string, number> = {};
  for (const [t, s] of Object.entries(whole)) [sums[t], counts[t]] = [s.crc, s.rows];
  return { sums, counts };
}

/** What differs, one line per table (empty: every table of the manifest has its rows and checksum). */
export async function tableMismatches(db: Db, manifest: Pick<BackupManifest, 'tables' | 'checksumMethod'>): Promise<string[]> {
  const names = Object.keys(manifest.tables);
  const { sums, counts } = await currentFacts(db, names, manifest.checksumMethod);
  const out: string[] = [];
  for (const t of names) {
    const want = manifest.tables[t]!;
    if (counts[t] !== want.rows) out.push(`${t}: ${counts[t]} rows, ${want.rows} expected`);
    else if (sums[t] !== want.checksum) out.push(`${t}: checksum ${sums[t]}, ${want.checksum} expected`);
  }
  return out;
}
