import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerPort } from '../docker/port.js';
import { dumpDatabase, Tee } from './dump.js';

/** What `tee` passes on, from a source of `chunks` one-kilobyte chunks. */
async function through(tee: Tee, chunks: number): Promise<number> {
  let bytes = 0;
  const sink = new Writable({ write(chunk: Buffer, _e, done) { bytes += chunk.length; done(); } });
  await pipeline(Readable.from(Array.from({ length: chunks }, () => Buffer.alloc(1024))), tee, sink);
  return bytes;
}

describe('Tee (the dump given to the throwaway server as it is taken)', () => {
  it('gives the copy every byte the dump passes on, and ends it', async () => {
    const copy = new PassThrough();
    let copied = 0;
    copy.on('data', (c: Buffer) => { copied += c.length; });
    const ended = new Promise((r) => copy.on('end', r));
    expect(await through(new Tee(copy), 100)).toBe(100 * 1024);
    await ended;
    expect(copied).toBe(100 * 1024);
  });

  it('lets go of a copy that takes nothing for the stall time, with an error, and the dump goes on to its end', async () => {
    // Never read: it fills and never drains, as a hung server's connection would.
    const copy = new PassThrough({ highWaterMark: 1024 });
    const failed = new Promise<Error>((r) => copy.on('error', r));
    const started = Date.now();
    expect(await through(new Tee(copy, 100), 100)).toBe(100 * 1024);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await failed).message).toBe('the copy took nothing for 0.1 s');
  });

  it('lets go of a copy gone before the dump began (no drain would ever come)', async () => {
    const copy = new PassThrough({ highWaterMark: 1024 });
    copy.destroy();
    expect(await through(new Tee(copy), 100)).toBe(100 * 1024);
  });

  it('ends the copy when the dump cannot even start (its exec fails), so a load waiting on it does not wait forever', async () => {
    const copy = new PassThrough();
    const failed = new Promise<Error>((r) => copy.on('error', r));
    const docker = { execStream: async () => { throw new Error('no such container'); } } as unknown as DockerPort;
    const file = join(mkdtempSync(join(tmpdir(), 'gw-dump-')), 'x.sql.gz');
    const creds = { user: 'root', password: 'p', database: 'glowworm', host: '127.0.0.1', port: 3306 };
    await expect(dumpDatabase({ docker, container: 'db', tool: 'mariadb-dump', creds, file, copyTo: copy })).rejects.toThrow('no such container');
    expect((await failed).message).toBe('no such container');
  });

  it('lets go of a copy that fails, and the dump goes on to its end', async () => {
    const copy = new Writable({ highWaterMark: 1024, write(_c, _e, done) { done(new Error('the copy went away')); } });
    copy.on('error', () => undefined);
    expect(await through(new Tee(copy), 100)).toBe(100 * 1024);
  });
});
