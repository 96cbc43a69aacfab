// The online backup brought to the moment of the stop (issue 14): its verified copy in the throwaway server takes
// only what changed since the dump (delta-copy.ts), the dump file gets the same changes appended (delta-record.ts),
// and the manifest describes the database at the stop — every table's rows and sum as the final comparison read
// them on live, the file's new size and sha256. The copy being equal to the database is proven by that comparison;
// the file is the copy's own history (the verified dump, then exactly what the copy was given).
import type { ContainerDetails, DockerPort } from '../docker/port.js';
import { openDb } from '../db/connection.js';
import type { DbCredentials } from '../db/credentials.js';
import { alembicRevisions } from '../db/schema.js';
import { clientBeside } from './db-tools.js';
import { catchUpCopy, type DeltaResult } from './delta-copy.js';
import { DeltaRecord } from './delta-record.js';
import type { BackupManifest, TableFacts } from './manifest.js';
import { saveManifest } from './store.js';
import type { Verifier } from './verify.js';

export async function catchUpBackup(opts: {
  docker: DockerPort;
  db: ContainerDetails;
  creds: DbCredentials;
  verifier: Verifier;
  file: string;
  manifest: BackupManifest;
}): Promise<DeltaResult> {
  const { docker, manifest } = opts;
  const copyCreds = await opts.verifier.credentials(manifest.database);
  // The dump tool the backup was taken with; the throwaway runs the same image, so its client is the one beside it.
  const tool = manifest.dump.tool;
  const record = DeltaRecord.open(opts.file);
  const [liveDb, copyDb] = await Promise.all([openDb(opts.creds), openDb(copyCreds)]);
  try {
    const result = await catchUpCopy({
      docker, liveDb, copyDb, record,
      live: { container: opts.db.id, creds: opts.creds, tool },
      copy: { container: opts.verifier.container, creds: copyCreds, tool: clientBeside(tool) },
    });
    const tables: Record<string, TableFacts> = {};
    for (const [t, s] of Object.entries(result.after.liveSums)) tables[t] = { rows: s.rows, checksum: s.crc };
    const alembic = await alembicRevisions(liveDb);
    const grown = await record.appendTo(opts.file);
    const changed = result.chunksCopied + result.tablesCopiedWhole;
    const at = new Date().toISOString();
    const caughtUp: BackupManifest = {
      ...manifest,
      alembic,
      tables,
      checksumMethod: 'crc32-xor',
      dump: { ...manifest.dump, bytes: grown.bytes, sha256: grown.sha256, uncompressedBytes: manifest.dump.uncompressedBytes + grown.uncompressedBytes },
      caughtUp: { at, chunksCopied: result.chunksCopied, tablesCopiedWhole: result.tablesCopiedWhole },
      verified: {
        at, ok: true,
        detail: `restored into a throwaway server, then given the ${changed} changed chunks and tables at the stop: equal to the database by chunk comparison of ${result.after.tables} tables`,
      },
    };
    await saveManifest(opts.file, caughtUp);
    return result;
  } catch (error) {
    await record.discard();
    throw error;
  } finally {
    await Promise.all([liveDb.end().catch(() => undefined), copyDb.end().catch(() => undefined)]);
  }
}

/** The catch-up in one line, for its step's summary: what it copied, and the comparison that proves the copy equal. */
export function catchUpSummary(r: Pick<DeltaResult, 'chunksCopied' | 'tablesCopiedWhole' | 'comparisonsMs'> & { after: { tables: number } }): string {
  const copied = r.chunksCopied + r.tablesCopiedWhole === 0 ? 'nothing had changed' : `${r.chunksCopied} chunks and ${r.tablesCopiedWhole} tables copied again`;
  const compared = r.comparisonsMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(' + ');
  return `${copied}; equal to the database at the stop (${r.after.tables} tables compared in ${compared})`;
}
