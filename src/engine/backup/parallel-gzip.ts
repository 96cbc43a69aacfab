// gzip on every core, the way pigz does: the input is cut into blocks, each block is deflated on libuv's thread pool
// as a gzip member of its own, and the members are written in order. A concatenation of gzip members is one valid
// gzip file (RFC 1952 §2.2): `gunzip`, `gzip -t` and Node's gunzip read it whole. Measured in docs/benchmarks.md:
// single-threaded zlib level 1 was the slowest stage of a backup, slower than the dump itself.
//
// Memory stays bounded: at most `parallel` blocks are in flight, and _transform does not return until one completes,
// so a slow disk pushes back through the whole pipeline to the Docker socket.
import { availableParallelism } from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

export interface ParallelGzipOptions {
  level?: number;
  blockSize?: number;
  parallel?: number;
}

export class ParallelGzip extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<Buffer>[] = [];
  private readonly level: number;
  private readonly blockSize: number;
  private readonly parallel: number;

  constructor(opts: ParallelGzipOptions = {}) {
    super({ readableHighWaterMark: 1 << 20 });
    this.level = opts.level ?? 1;
    this.blockSize = opts.blockSize ?? 1 << 20;
    // libuv runs 4 pool threads by default; more in flight would only queue.
    this.parallel = Math.max(1, Math.min(opts.parallel ?? availableParallelism(), 4));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.drainBlocks(false).then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    this.drainBlocks(true)
      .then(async () => {
        while (this.inFlight.length) this.push(await this.inFlight.shift()!);
        done();
      })
      .catch(done);
  }

  private async drainBlocks(final: boolean): Promise<void> {
    while (this.pendingBytes >= this.blockSize || (final && this.pendingBytes > 0)) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      const block = all.subarray(0, Math.min(this.blockSize, all.length));
      const rest = all.subarray(block.length);
      this.pending = rest.length ? [rest] : [];
      this.pendingBytes = rest.length;
      this.inFlight.push(gzipAsync(block, { level: this.level }));
      // Keep the pool busy, but never more than `parallel` blocks in memory: wait for the oldest (order matters).
      if (this.inFlight.length >= this.parallel) this.push(await this.inFlight.shift()!);
    }
  }
}
