// Docker multiplexes an attached, non-TTY stream as frames: [type(1) 0 0 0 length(4, BE)] payload. dockerode's
// demuxStream writes to its outputs without waiting for them, so a slow consumer (gzip to disk) would let a 500 MB
// dump pile up in memory. This Transform emits stdout payloads as its own output (so `pipeline()` applies
// backpressure end to end) and hands stderr payloads to a callback.
import { Transform, type TransformCallback } from 'node:stream';

const HEADER = 8;

export class DockerDemux extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private frameType = -1;
  private frameLeft = 0;

  constructor(private readonly onStderr: (chunk: Buffer) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.frameLeft > 0) {
        const take = Math.min(this.frameLeft, chunk.length - offset);
        this.deliver(chunk.subarray(offset, offset + take));
        offset += take;
        this.frameLeft -= take;
        continue;
      }
      // Collect a whole header (it may straddle chunks).
      const need = HEADER - this.pendingBytes;
      const take = Math.min(need, chunk.length - offset);
      this.pending.push(chunk.subarray(offset, offset + take));
      this.pendingBytes += take;
      offset += take;
      if (this.pendingBytes < HEADER) break;
      const header = Buffer.concat(this.pending, HEADER);
      this.pending = [];
      this.pendingBytes = 0;
      this.frameType = header.readUInt8(0);
      this.frameLeft = header.readUInt32BE(4);
      if (this.frameType > 2 || header.readUInt8(1) !== 0) {
        done(new Error('Docker stream is not multiplexed (was the exec started with a TTY?)'));
        return;
      }
    }
    done();
  }

  private deliver(payload: Buffer): void {
    if (this.frameType === 2) this.onStderr(payload);
    else this.push(payload);
  }
}

/** Collects text up to `limit` bytes, keeping the end (the last lines say what went wrong). */
export class BoundedText {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = 64 * 1024) {}

  add = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Drop a whole chunk only when what remains still covers the limit; toString() trims the rest.
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
    }
  };

  toString(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}
