// Everything a restore can learn about a backup file from the file alone, learnt before anything is touched: a
// damaged file found only after the app was stopped and a safety backup taken costs the user downtime for nothing.
// The manifest must be there and readable; the dump must have the sha256 the manifest recorded; and it must gunzip
// to its end — as many bytes as were dumped, closing with the dump tool's "Dump completed" line (or, for a backup
// caught up at an upgrade's or reset's stop, with the line that closes the changes appended then) — since a sha256
// recorded for a dump that was already broken would prove nothing.
import { stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { userError } from '../errors.js';
import { readDump, sha256File } from './load-dump.js';
import { CAUGHT_UP_TRAILER } from './delta-record.js';
import type { BackupManifest } from './manifest.js';
import { manifestPath, readManifest } from './store.js';

const endsWith = (line: string) => new RegExp(`${line}[^\n]*\n?$`);
const DUMP_END = { re: endsWith('-- Dump completed'), says: 'the dump\'s "Dump completed" line' };
const CAUGHT_UP_END = { re: endsWith(CAUGHT_UP_TRAILER), says: `the catch-up's "${CAUGHT_UP_TRAILER.slice(3)}" line` };
const ANOTHER = 'Nothing was changed. Choose another backup: `glowworm doctor` lists them.';

/** Gunzip the whole file: the uncompressed size and the last bytes, or the gzip error. */
async function gunzipToEnd(file: string): Promise<{ bytes: number; tail: string } | { error: string }> {
  let bytes = 0;
  let tail = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      bytes += chunk.length;
      tail = (tail + chunk.subarray(Math.max(0, chunk.length - 256)).toString('latin1')).slice(-256);
      done();
    },
  });
  try {
    await pipeline(readDump(file), sink);
    return { bytes, tail };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The backup's manifest once the file has passed every check; a user error (exit 2, nothing changed) otherwise. */
export async function checkBackupFile(file: string): Promise<BackupManifest> {
  if (!(await stat(file).catch(() => null))?.isFile()) throw userError('restore.no-file', `${file} does not exist.`, ANOTHER);
  const read = await readManifest(file);
  if ('missing' in read) {
    throw userError('restore.no-manifest', `${file} has no manifest beside it (${manifestPath(file)}), so it cannot be checked.`,
      'Restore only backups glowworm took; `glowworm doctor` lists them.');
  }
  if ('unreadable' in read) {
    throw userError('restore.manifest-unreadable', `The manifest of ${file}, ${manifestPath(file)}, is unreadable (${read.unreadable}), so the backup cannot be checked.`,
      'Nothing was changed. If you edited it, put it back as glowworm wrote it; otherwise choose another backup (`glowworm doctor` lists them).');
  }
  const { manifest } = read;
  if ((await sha256File(file)) !== manifest.dump.sha256) {
    throw userError('restore.corrupt', `${file} does not match the sha256 its manifest recorded: the file changed or is damaged (truncated, partly copied).`, ANOTHER);
  }
  const unzipped = await gunzipToEnd(file);
  if ('error' in unzipped) throw userError('restore.corrupt', `${file} is not a complete gzip file (${unzipped.error}).`, ANOTHER);
  const end = manifest.caughtUp ? CAUGHT_UP_END : DUMP_END;
  if (unzipped.bytes !== manifest.dump.uncompressedBytes || !end.re.test(unzipped.tail)) {
    const why = unzipped.bytes !== manifest.dump.uncompressedBytes
      ? `it holds ${unzipped.bytes} bytes of SQL, the manifest says ${manifest.dump.uncompressedBytes}`
      : `it does not end with ${end.says}`;
    throw userError('restore.corrupt', `${file} is not a complete dump: ${why}.`, ANOTHER);
  }
  return manifest;
}
