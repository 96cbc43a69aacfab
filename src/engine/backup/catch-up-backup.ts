// The online backup brought to the moment of the stop (issue 14): its verified copy in the throwaway server takes
// only what changed since the dump (delta-copy.ts), the dump file gets the same changes appended (delta-record.ts),
// and the manifest describes the database at the stop — every table's rows and sum as the final comparison read
// them on live, the file's new size and sha256. The copy being equal to the database is proven by that comparison;
// the file is the copy's own history (the verified dump, then exactly what the copy was given).
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import { openDb, type Db } from '../db/connection.js';
import type { DbCredentials } from '../db/credentials.js';
import { alembicRevisions } from '../db/schema.js';
import { counted } from '../event-words.js';
import { clientBeside } from './db-tools.js';
import type { Lane } from './compare-copy.js';
import { catchUpCopy, type DeltaResult } from './delta-copy.js';
import { DeltaRecord } from './delta-record.js';
import type { BackupManifest, TableFacts } from './manifest.js';
import { saveManifest } from './store.js';
import type { Verifier } from './verify.js';

/** Chunks summed at once on each side: measured on the rig, 2-3 readers beat 1 (docs/benchmarks.md). */
export const COMPARE_READERS = 3;

export async function catchUpBackup(opts: {
  docker: DockerPort;
  db: ContainerDetails;
  creds: DbCredentials;
  verifier: Verifier;
  file: string;
  manifest: BackupManifest;
  /** Connections per side for the comparisons (default COMPARE_READERS). */
  readers?: number;
}): Promise<DeltaResult> {
  const { docker, manifest } = opts;
  const copyCreds = await opts.verifier.credentials(manifest.database);
  // The dump tool the backup was taken with; the throwaway runs the same image, so its client is the one beside it.
  const tool = manifest.dump.tool;
  const record = DeltaRecord.open(opts.file);
  // One reader per side per lane: more than one sums several chunks at once in the comparisons, the only part of
  // the catch-up that grows with the database.
  const opened: Db[] = [];
  const open = async (creds: DbCredentials) => {
    const db = await openDb(creds);
    opened.push(db);
    return db;
  };
  try {
    const lanes: Lane[] = [];
    for (let i = 0; i < Math.max(1, opts.readers ?? COMPARE_READERS); i++) lanes.push({ live: await open(opts.creds), copy: await open(copyCreds) });
    const [{ live: liveDb, copy: copyDb }, ...more] = lanes as [Lane, ...Lane[]];
    const result = await catchUpCopy({
      docker, liveDb, copyDb, record, compare: { lanes: more },
      live: { container: opts.db.id, creds: opts.creds, tool },
      copy: { container: opts.verifier.container, creds: copyCreds, tool: clientBeside(tool) },
    });
    const tables: Record<string, TableFacts> = {};
    for (const [t, s] of Object.entries(result.after.liveSums)) tables[t] = { rows: s.rows, checksum: s.crc };
    const alembic = await alembicRevisions(liveDb);
    const grown = await record.appendTo(opts.file);
    const at = new Date().toISOString();
    const caughtUp: BackupManifest = {
      ...manifest,
      alembic,
      tables,
      checksumMethod: 'crc32-xor',
      dump: {
        ...manifest.dump, bytes: grown.bytes, sha256: grown.sha256, uncompressedBytes: manifest.dump.uncompressedBytes + grown.uncompressedBytes,
        // A backup without sections (taken before they existed) is not given a partial list.
        ...(manifest.dump.sections ? { sections: [...manifest.dump.sections, grown.section] } : {}),
      },
      caughtUp: { at, chunksCopied: result.chunksCopied, tablesCopiedWhole: result.tablesCopiedWhole },
      verified: {
        at, ok: true,
        // How the copy was made is the verification's own account (restored from the file, or loaded as dumped).
        detail: `${manifest.verified?.detail ?? 'verified in a throwaway server'}; then given what changed before the stop (${counted(result.chunksCopied, 'chunk')}, ${counted(result.tablesCopiedWhole, 'whole table')}): equal to the database by chunk comparison of ${counted(result.after.tables, 'table')}`,
      },
    };
    await saveManifest(opts.file, caughtUp);
    return result;
  } catch (error) {
    await record.discard();
    throw error;
  } finally {
    await Promise.all(opened.map((db) => db.end().catch(() => undefined)));
  }
}

/** The catch-up in one line, for its step's summary: what it copied, and the comparison that proves the copy equal. */
export function catchUpSummary(r: Pick<DeltaResult, 'chunksCopied' | 'tablesCopiedWhole' | 'comparisonsMs' | 'finalComparison'> & { after: { tables: number } }): string {
  const copied = r.chunksCopied + r.tablesCopiedWhole === 0 ? 'nothing had changed' : `${counted(r.chunksCopied, 'chunk')} and ${counted(r.tablesCopiedWhole, 'table')} copied again`;
  const [first, final] = r.comparisonsMs.map((ms) => `${(ms / 1000).toFixed(1)} s`);
  const then = { none: '', 'copied-again': `, what was copied again in ${final}`, 'every-table': `, and again in ${final}: something wrote to the database meanwhile` }[r.finalComparison];
  return `${copied}; equal to the database at the stop (${counted(r.after.tables, 'table')} compared in ${first}${then})`;
}
