import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { ParallelGzip } from './parallel-gzip.js';

async function compress(input: Buffer, opts: ConstructorParameters<typeof ParallelGzip>[0], chunk = 7919): Promise<Buffer> {
  const parts: Buffer[] = [];
  const chunks = Array.from({ length: Math.ceil(input.length / chunk) }, (_, i) => input.subarray(i * chunk, (i + 1) * chunk));
  await pipeline(Readable.from(chunks), new ParallelGzip(opts), new Writable({ write: (c, _e, cb) => (parts.push(c), cb()) }));
  return Buffer.concat(parts);
}

describe('ParallelGzip', () => {
  // Text and noise, so blocks compress to very different sizes and finish out of order.
  const input = Buffer.concat(Array.from({ length: 40 }, (_, i) => (i % 3 ? Buffer.from(`INSERT INTO t VALUES (${i}, 'row');\n`.repeat(3000)) : randomBytes(50_000))));

  it('round-trips through Node gunzip in order, whatever the block size and parallelism', async () => {
    for (const [blockSize, parallel] of [[4096, 4], [65536, 2], [1 << 20, 1], [input.length * 2, 3]] as const) {
      const out = await compress(input, { blockSize, parallel });
      expect(gunzipSync(out).equals(input)).toBe(true);
    }
  });

  it('writes a file the gzip tool accepts and decompresses identically (several members)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgz-'));
    writeFileSync(join(dir, 'x.gz'), await compress(input, { blockSize: 100_000, parallel: 3 }));
    execFileSync('gzip', ['-t', join(dir, 'x.gz')]);
    expect(execFileSync('gzip', ['-dc', join(dir, 'x.gz')], { maxBuffer: 64 << 20 }).equals(input)).toBe(true);
  });

  it('handles an empty input as an empty output', async () => {
    expect((await compress(Buffer.alloc(0), {})).length).toBe(0);
  });
});
