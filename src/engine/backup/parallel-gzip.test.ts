import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { looksLikeHex, ParallelGzip } from './parallel-gzip.js';

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

  it('deflates hex-blob blocks by Huffman coding alone, text blocks with matches, and round-trips both', async () => {
    const hex = Buffer.from(`INSERT INTO images VALUES (1,0x${randomBytes(300_000).toString('hex').toUpperCase()});\n`);
    const text = Buffer.from(`INSERT INTO t VALUES (1, 'a row of text');\n`.repeat(20_000));
    expect(looksLikeHex(hex.subarray(0, 1 << 16))).toBe(true);
    expect(looksLikeHex(text)).toBe(false);
    expect(looksLikeHex(Buffer.alloc(0))).toBe(false);
    const both = Buffer.concat([text, hex, text]);
    const out = await compress(both, { blockSize: 65536, parallel: 3 });
    expect(gunzipSync(out).equals(both)).toBe(true);
    // Random bytes as hex: Huffman coding keeps half (4 bits of 8), and no block grows past that.
    const hexOnly = await compress(hex, { blockSize: 65536 });
    expect(hexOnly.length / hex.length).toBeLessThan(0.52);
    // Text still gets LZ77: a repeated row compresses far below what Huffman coding alone could reach.
    expect((await compress(text, { blockSize: 65536 })).length / text.length).toBeLessThan(0.05);
  });

  it('handles an empty input as an empty output', async () => {
    expect((await compress(Buffer.alloc(0), {})).length).toBe(0);
  });
});
