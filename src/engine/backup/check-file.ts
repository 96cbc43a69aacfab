// Everything a restore can learn about a backup file from the file alone, learnt before anything is touched: a
// damaged file found only after the app was stopped and a safety backup taken costs the user downtime for nothing.
// The manifest must be there and readable; the dump must have the sha256 the manifest recorded; and it must gunzip
// to its end — as many bytes as were dumped, closing with the dump tool's "Dump completed" line (or, for a backup
// caught up at an upgrade's or reset's stop, with the line that closes the changes appended then) — since a sha256
// recorded for a dump that was already broken would prove nothing.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { userError } from '../errors.js';
import { readDump, sha256File } from './load-dump.js';
import { damagedSections, describeSections, layoutProblem, SectionHashes } from './check-sections.js';
import { CAUGHT_UP_TRAILER } from './delta-record.js';
import type { BackupManifest } from './manifest.js';
import { manifestPath, readManifest } from './store.js';

const endsWith = (line: string) => new RegExp(`${line}[^\n]*\n?$`);
const DUMP_END = { re: endsWith('-- Dump completed'), says: 'the dump\'s "Dump completed" line' };
const CAUGHT_UP_END = { re: endsWith(CAUGHT_UP_TRAILER), says: `the catch-up's "${CAUGHT_UP_TRAILER.slice(3)}" line` };
const ANOTHER = 'Nothing was changed. Choose another backup: `glowworm doctor` lists them.';

/** Read the whole file once: its sha256, the uncompressed size and the last bytes, or the gzip error. */
async function readToEnd(file: string, sections: SectionHashes | null): Promise<{ sha256: string; bytes: number; tail: string } | { error: string }> {
  let bytes = 0;
  let tail = '';
  const hash = createHash('sha256');
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      bytes += chunk.length;
      sections?.update(chunk);
      tail = (tail + chunk.subarray(Math.max(0, chunk.length - 256)).toString('latin1')).slice(-256);
      done();
    },
  });
  try {
    await pipeline(readDump(file, hash), sink);
    return { sha256: hash.digest('hex'), bytes, tail };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * What is wrong with a dump file, judged against its manifest, as the end of a sentence about the file; null when
 * nothing is. The file is read once (a gigabyte dump takes seconds to gunzip).
 */
export async function dumpFileProblem(file: string, manifest: BackupManifest): Promise<string | null> {
  const { sections } = manifest.dump;
  const hashes = sections ? new SectionHashes(sections) : null;
  const read = await readToEnd(file, hashes);
  // A file that does not gunzip may have been damaged after its sha256 was taken, or been broken before: the
  // sha256 tells which, and it is the user's next question; the sections, what the damage took.
  const sha256 = 'error' in read ? await sha256File(file) : read.sha256;
  const lost = async () => {
    const damaged = sections ? await damagedSections(file, sections) : [];
    return damaged.length ? `; what no longer reads: ${describeSections(damaged, sections!.length)}` : '';
  };
  if (sha256 !== manifest.dump.sha256) return `does not match the sha256 its manifest recorded: the file changed or is damaged (truncated, partly copied)${await lost()}`;
  if ('error' in read) return `is not a complete gzip file (${read.error})${await lost()}`;
  const end = manifest.caughtUp ? CAUGHT_UP_END : DUMP_END;
  if (read.bytes !== manifest.dump.uncompressedBytes) return `is not a complete dump: it holds ${read.bytes} bytes of SQL, the manifest says ${manifest.dump.uncompressedBytes}`;
  if (!end.re.test(read.tail)) return `is not a complete dump: it does not end with ${end.says}`;
  if (sections) {
    const layout = layoutProblem(sections, manifest.dump.bytes, manifest.dump.uncompressedBytes);
    if (layout) return `does not match its manifest: ${layout}`;
    // The compressed bytes are the ones written, yet the SQL is not what the dump tool gave: written wrong.
    const wrong = hashes!.mismatched();
    if (wrong.length) return `holds SQL other than what was dumped in ${describeSections(wrong, sections.length)}: the backup was written wrong`;
  }
  return null;
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
  const problem = await dumpFileProblem(file, manifest);
  if (problem) throw userError('restore.corrupt', `${file} ${problem}.`, ANOTHER);
  return manifest;
}
