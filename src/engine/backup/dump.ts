// Stream a logical dump from the DB container to a gzip file, end to end with backpressure: exec stdout → gzip →
// (sha256, byte count) → file. Never buffered whole (design.md rule 8). The password reaches the dump tool as
// MYSQL_PWD in the exec's environment, never in argv (argv is visible to every `ps` on the host).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DockerPort } from '../docker/port.js';
import { externalError } from '../errors.js';
import type { DbCredentials } from '../db/credentials.js';
import { ParallelGzip } from './parallel-gzip.js';
import { placeSections, SectionFinder, type DumpSection } from './dump-sections.js';
import { partialPath } from './store.js';

/** The flags the app's own backup script uses, plus a fixed character set so restores round-trip exactly. */
export const DUMP_FLAGS = [
  '--single-transaction',
  '--routines',
  '--triggers',
  '--events',
  '--hex-blob',
  '--complete-insert',
  '--extended-insert',
  '--default-character-set=utf8mb4',
];

const TRAILER = /-- Dump completed/;
/**
 * The dump tool writes this before its first table, after it has begun its `--single-transaction` read view (it
 * starts the transaction before it dumps anything): seeing it means the dump's snapshot exists.
 */
const FIRST_TABLE = '-- Table structure for table';

/** Counts bytes flowing through and keeps the last few hundred, to see the dump's completion trailer. */
class Meter extends Transform {
  bytes = 0;
  tail = '';
  private begun = false;
  constructor(private readonly onBytes?: (n: number) => void, private readonly onTablesBegin?: () => void) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (!this.begun && this.onTablesBegin && (this.tail.slice(-FIRST_TABLE.length) + chunk.toString('latin1')).includes(FIRST_TABLE)) {
      this.begun = true;
      this.onTablesBegin();
    }
    this.tail = (this.tail + chunk.subarray(Math.max(0, chunk.length - 512)).toString('latin1')).slice(-512);
    this.onBytes?.(this.bytes);
    done(null, chunk);
  }
}

/**
 * Passes the dump on, and gives every byte to `copy` as well, waiting for it (the slower of the two sets the pace, so
 * nothing piles up in memory). A copy that fails or goes away is let go and the dump goes on: the backup file never
 * depends on the copy, which its verification judges by itself. So is a copy that takes nothing for `stallMs` (a
 * throwaway server that hangs without failing): it is ended with an error, and the dump does not wait on it forever.
 */
export class Tee extends Transform {
  private lost = false;
  private stopWaiting: (() => void) | undefined;
  constructor(private readonly copy: Writable, private readonly stallMs = 60_000) {
    super();
    copy.once('error', () => { this.lost = true; });
    copy.once('close', () => { this.lost = true; });
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    // Gone before this Tee was made (its 'close' already fired): no drain will ever come.
    if (this.copy.destroyed || this.copy.writableEnded) this.lost = true;
    if (this.lost || this.copy.write(chunk)) {
      done(null, chunk);
      return;
    }
    const stalled = setTimeout(() => {
      this.lost = true;
      this.copy.destroy(new Error(`the copy took nothing for ${this.stallMs / 1000} s`));
      go();
    }, this.stallMs);
    const stopWaiting = () => {
      this.stopWaiting = undefined;
      clearTimeout(stalled);
      this.copy.off('drain', go).off('error', go).off('close', go);
    };
    const go = () => {
      stopWaiting();
      done(null, chunk);
    };
    this.copy.on('drain', go).on('error', go).on('close', go);
    this.stopWaiting = stopWaiting;
  }
  override _flush(done: TransformCallback): void {
    if (!this.lost) this.copy.end();
    done();
  }
  // A pipeline that fails while the copy is being waited for: no stall timer may outlive it.
  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.stopWaiting?.();
    done(error);
  }
}

class Hasher extends Transform {
  private hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

export interface DumpResult {
  bytes: number;
  uncompressedBytes: number;
  sha256: string;
  durationMs: number;
  /** Where each table lies in the file, and its SQL's sha256 (dump-sections.ts). */
  sections: DumpSection[];
}

export async function dumpDatabase(opts: {
  docker: DockerPort;
  container: string;
  tool: string;
  creds: DbCredentials;
  file: string;
  onProgress?: (uncompressedBytes: number) => void;
  /** Once, when the dump begins its first table (its read view exists); not at all for a database with no table. */
  onTablesBegin?: () => void;
  /** Also given the dump's SQL as it comes (a throwaway server loading it); ended with the dump, destroyed on failure. */
  copyTo?: Writable;
  /** How long a `copyTo` may take nothing before it is let go (Tee). */
  copyStallMs?: number;
}): Promise<DumpResult> {
  const started = Date.now();
  const partial = partialPath(opts.file);
  const meter = new Meter(opts.onProgress, opts.onTablesBegin);
  const hasher = new Hasher();
  const finder = new SectionFinder();
  // Level 1, on every core: single-threaded deflate was the slowest stage (docs/benchmarks.md). A member begins
  // where each table does.
  const gzip = new ParallelGzip({ level: 1, cuts: finder.cuts });
  let sections: DumpSection[];
  try {
    // Inside the try: an exec that cannot start must end the copy (`copyTo`) as any later failure does.
    const exec = await opts.docker.execStream(
      opts.container,
      [opts.tool, ...DUMP_FLAGS, `--user=${opts.creds.user}`, opts.creds.database],
      { env: [`MYSQL_PWD=${opts.creds.password}`] },
    );
    // Observed below once the stream has ended; a pipeline failure must not leave it as an unhandled rejection.
    exec.done.catch(() => undefined);
    await pipeline(
      exec.stdout,
      meter,
      ...(opts.copyTo ? [new Tee(opts.copyTo, opts.copyStallMs)] : []),
      finder,
      gzip,
      hasher,
      createWriteStream(partial, { mode: 0o600 }),
    );
    const { exitCode, stderr } = await exec.done;
    if (exitCode !== 0 || !TRAILER.test(meter.tail)) {
      const why = exitCode !== 0 ? `exited with code ${exitCode}` : 'ended without its "Dump completed" trailer';
      throw externalError('backup.dump-failed', `${opts.tool} ${why}: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
        'Nothing was changed. Check the database container\'s logs and free disk space, then try again.');
    }
    sections = placeSections(finder.sections, gzip.members);
    const fh = await open(partial, 'r+');
    await fh.sync().finally(() => fh.close());
    await rename(partial, opts.file);
  } catch (error) {
    opts.copyTo?.destroy(error as Error);
    await rm(partial, { force: true });
    throw error;
  }
  return {
    bytes: hasher.bytes, uncompressedBytes: meter.bytes, sha256: hasher.digest(), durationMs: Date.now() - started,
    sections,
  };
}
