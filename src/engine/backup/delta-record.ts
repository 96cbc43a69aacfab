// The changes the copy takes at the stop, recorded for the backup file: the same statements in the same order (the
// deletes of changed chunks, the rows dumped again, the tables dropped or dumped whole), as gzip members appended to
// the dump. Members concatenate into one valid gzip file (RFC 1952 §2.2), so the file alone restores to the database
// at the stop: with glowworm's restore, or `gunzip < file | mysql` by hand. The record is written beside the dump
// under a partial name and appended only once the copy is proven equal to the database, so a failed catch-up leaves
// the online backup exactly as it was verified. It ends with a line of its own (CAUGHT_UP_TRAILER), as the dump ends
// with the dump tool's: the caught-up file's end is then no longer the dump's "Dump completed", and a restore's check
// of the file (check-file.ts) needs an end it can recognise as complete.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { sha256File } from './load-dump.js';
import { partialPath } from './store.js';
import type { DumpSection } from './dump-sections.js';

/** The record's last line: an SQL comment, so the file still restores by hand (`gunzip < file | mysql`). */
export const CAUGHT_UP_TRAILER = '-- Catch-up completed';

/** What the copy is given, kept in order: statements the catch-up runs itself, and bytes it pipes through. */
export interface DeltaRecorder {
  statement(sql: string): Promise<void>;
  /** A pass-through that records every byte going to the copy's client. */
  tap(): Transform;
}

export interface AppendedDump {
  bytes: number;
  uncompressedBytes: number;
  sha256: string;
  /** What was appended, as a section of the file: one gzip stream of its own (dump-sections.ts). */
  section: DumpSection;
}

export class DeltaRecord implements DeltaRecorder {
  private readonly gzip = createGzip({ level: 1 });
  private readonly written: Promise<void>;
  private uncompressed = 0;
  private readonly sql = createHash('sha256');

  private constructor(readonly path: string) {
    this.written = pipeline(this.gzip, createWriteStream(path, { flags: 'wx' }));
    this.written.catch(() => undefined);
  }

  /** A record for the dump `file` (`<file minus .sql.gz>.delta.sql.gz.<host>-<pid>.partial` until appended). */
  static open(file: string): DeltaRecord {
    return new DeltaRecord(partialPath(file.replace(/\.sql\.gz$/, '.delta.sql.gz')));
  }

  private write(chunk: Buffer): Promise<void> {
    this.uncompressed += chunk.length;
    this.sql.update(chunk);
    return new Promise((resolve, reject) => {
      // Resolve once gzip took the chunk; wait for 'drain' so a large whole-table dump cannot pile up in memory.
      if (this.gzip.write(chunk, (e) => (e ? reject(e) : undefined))) resolve();
      else this.gzip.once('drain', resolve);
    });
  }

  statement(sql: string): Promise<void> {
    return this.write(Buffer.from(`${sql};\n`));
  }

  tap(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _e, done) => {
        this.write(chunk).then(() => done(null, chunk), done);
      },
    });
  }

  /** Close the record, append it to `file`, and return the grown file's size and sha256. */
  async appendTo(file: string): Promise<AppendedDump> {
    await this.write(Buffer.from(`${CAUGHT_UP_TRAILER} on ${new Date().toISOString()}\n`));
    this.gzip.end();
    await this.written;
    const offset = (await stat(file)).size;
    await pipeline(createReadStream(this.path), createWriteStream(file, { flags: 'a' }));
    await rm(this.path, { force: true });
    const bytes = (await stat(file)).size;
    return {
      bytes, uncompressedBytes: this.uncompressed, sha256: await sha256File(file),
      section: { kind: 'catch-up', name: null, offset, bytes: bytes - offset, sqlBytes: this.uncompressed, sha256: this.sql.digest('hex') },
    };
  }

  async discard(): Promise<void> {
    this.gzip.destroy();
    await this.written.catch(() => undefined);
    await rm(this.path, { force: true });
  }
}
