// A container's log lines as an async iterable. The queue between Docker and the consumer is bounded: when the
// consumer falls behind, the socket is paused (Docker buffers), so a flooding container cannot grow our memory.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { DockerDemux } from './demux.js';
import { isNotFound, mapDockerError } from './docker-errors.js';
import { LineSplitter } from './lines.js';
import type { LogLine } from './port.js';

const HIGH_WATER = 2000;

export async function* followLogs(
  docker: Docker,
  container: string,
  opts: { follow: boolean; since?: number; tail?: number; timestamps?: boolean },
  signal?: AbortSignal,
): AsyncGenerator<LogLine> {
  let source: Readable;
  try {
    const result = await docker.getContainer(container).logs({
      follow: opts.follow as true,
      stdout: true,
      stderr: true,
      since: opts.since ?? 0,
      timestamps: opts.timestamps ?? false,
      ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
    });
    source = result as unknown as Readable;
    if (Buffer.isBuffer(result)) {
      const { Readable: R } = await import('node:stream');
      source = R.from([result]);
    }
  } catch (error) {
    if (isNotFound(error)) return;
    throw mapDockerError(`read the logs of ${container}`, error);
  }

  const queue: LogLine[] = [];
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const out = new LineSplitter((text) => queue.push({ stream: 'stdout', text }));
  const err = new LineSplitter((text) => queue.push({ stream: 'stderr', text }));
  // Pausing the demuxer's output fills its buffer, and pipe() then pauses the socket: backpressure to Docker.
  const throttle = () => {
    if (queue.length >= HIGH_WATER) demux.pause();
    notify();
  };
  const demux: DockerDemux = new DockerDemux((chunk) => {
    err.push(chunk);
    throttle();
  });
  demux.on('data', (chunk: Buffer) => {
    out.push(chunk);
    throttle();
  });
  demux.on('end', () => {
    out.flush();
    err.flush();
    ended = true;
    notify();
  });
  demux.on('error', (e) => {
    failure = e;
    ended = true;
    notify();
  });
  source.on('error', (e) => {
    failure = e;
    ended = true;
    notify();
  });
  source.pipe(demux);
  const abort = () => {
    source.destroy();
    ended = true;
    notify();
  };
  signal?.addEventListener('abort', abort, { once: true });

  try {
    while (true) {
      const line = queue.shift();
      if (line) {
        if (queue.length < HIGH_WATER / 2 && demux.isPaused()) demux.resume();
        yield line;
        continue;
      }
      if (ended) break;
      if (demux.isPaused()) demux.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure && !signal?.aborted) throw mapDockerError(`follow the logs of ${container}`, failure);
  } finally {
    signal?.removeEventListener('abort', abort);
    source.destroy();
  }
}
