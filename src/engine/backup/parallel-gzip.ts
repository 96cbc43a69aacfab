// gzip on every core, the way pigz does: the input is cut into blocks, each block is deflated on libuv's thread pool
// as a gzip member of its own, and the members are written in order. A concatenation of gzip members is one valid
// gzip file (RFC 1952 §2.2): `gunzip`, `gzip -t` and Node's gunzip read it whole. Measured in docs/benchmarks.md:
// single-threaded zlib level 1 was the slowest stage of a backup, slower than the dump itself.
//
// Each block is deflated the way that suits it. A block that is nearly all hex digits is a `--hex-blob` literal of
// binary data — in GlowWorm's database, image bytes, which are compressed already — so LZ77 finds no repeats in it
// and only wastes time looking (measured on the rig's thumbnails: level 1 runs at 44 MB/s and keeps 54 %, Huffman
// coding alone at 164 MB/s and keeps 51 %: the two bits in eight a hex digit does not use). Other blocks (SQL text,
// which repeats a lot) get level 1, which is fast on them (358 MB/s, 16 %).
//
// A block also ends at every offset in `cuts` (of the uncompressed stream, ascending, filled by a stage before
// this one as it sees them: backup/dump-sections.ts), so a section of the stream starts a member of its own and can
// be gunzipped without what comes before it; `members` tells, in order, how long each one came out.
//
// Memory stays bounded: at most `parallel` blocks are in flight, and _transform does not return until one completes,
// so a slow disk pushes back through the whole pipeline to the Docker socket.
import { availableParallelism } from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** Share of hex digits above which a block is deflated by Huffman coding alone. */
const HEX_BLOCK = 0.9;
const SAMPLES = 512;

/** Whether `block` is (nearly) all hex digits, judged from evenly spaced samples. */
export function looksLikeHex(block: Buffer): boolean {
  if (block.length === 0) return false;
  const step = Math.max(1, Math.floor(block.length / SAMPLES));
  let hex = 0;
  let seen = 0;
  for (let i = 0; i < block.length; i += step, seen++) {
    const c = block[i]!;
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46)) hex++;
  }
  return hex / seen >= HEX_BLOCK;
}

export interface ParallelGzipOptions {
  level?: number;
  blockSize?: number;
  parallel?: number;
  /** Offsets of the uncompressed stream where a member must begin; read as the stream passes, so it may grow. */
  cuts?: readonly number[];
}

/** One gzip member as written: the uncompressed bytes it holds and its compressed length. */
export interface GzipMember {
  sqlBytes: number;
  bytes: number;
}

export class ParallelGzip extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<Buffer>[] = [];
  /** The uncompressed length of each block in flight, in the same order. */
  private queued: number[] = [];
  private readonly level: number;
  private readonly blockSize: number;
  private readonly parallel: number;
  private readonly cuts: readonly number[];
  private nextCut = 0;
  /** Uncompressed bytes already cut into blocks. */
  private consumed = 0;
  readonly members: GzipMember[] = [];

  constructor(opts: ParallelGzipOptions = {}) {
    super({ readableHighWaterMark: 1 << 20 });
    this.level = opts.level ?? 1;
    this.blockSize = opts.blockSize ?? 1 << 20;
    // libuv runs 4 pool threads by default; more in flight would only queue.
    this.parallel = Math.max(1, Math.min(opts.parallel ?? availableParallelism(), 4));
    this.cuts = opts.cuts ?? [];
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.drainBlocks(false).then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    this.drainBlocks(true)
      .then(async () => {
        while (this.inFlight.length) this.pushMember(await this.inFlight.shift()!);
        done();
      })
      .catch(done);
  }

  private pushMember(member: Buffer): void {
    this.members.push({ sqlBytes: this.queued.shift()!, bytes: member.length });
    this.push(member);
  }

  /** How long the next block may be: up to the block size, and never across the next cut. */
  private nextBlockLength(): number {
    while (this.nextCut < this.cuts.length && this.cuts[this.nextCut]! <= this.consumed) this.nextCut++;
    const toCut = this.nextCut < this.cuts.length ? this.cuts[this.nextCut]! - this.consumed : Infinity;
    return Math.min(this.blockSize, toCut);
  }

  private async drainBlocks(final: boolean): Promise<void> {
    let length: number;
    while (this.pendingBytes > 0 && ((length = this.nextBlockLength()) <= this.pendingBytes || final)) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      const block = all.subarray(0, Math.min(length, all.length));
      const rest = all.subarray(block.length);
      this.pending = rest.length ? [rest] : [];
      this.pendingBytes = rest.length;
      this.consumed += block.length;
      this.queued.push(block.length);
      const strategy = looksLikeHex(block) ? constants.Z_HUFFMAN_ONLY : constants.Z_DEFAULT_STRATEGY;
      this.inFlight.push(gzipAsync(block, { level: this.level, strategy }));
      // Keep the pool busy, but never more than `parallel` blocks in memory: wait for the oldest (order matters).
      if (this.inFlight.length >= this.parallel) this.pushMember(await this.inFlight.shift()!);
    }
  }
}
