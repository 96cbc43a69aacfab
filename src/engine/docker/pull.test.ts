// dockerode's followProgress calls back with success even when a progress line says `error` (design.md rule 6).
// These tests feed docker-modem's real followProgress a stream like the engine's, with and without such a line.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import Modem from 'docker-modem';
import type Docker from 'dockerode';
import { pullImage } from './pull.js';

function fakeDocker(lines: object[]): Docker {
  const modem = new Modem();
  return {
    modem,
    pull: async () => {
      const stream = new PassThrough();
      queueMicrotask(() => {
        for (const l of lines) stream.write(JSON.stringify(l) + '\r\n');
        stream.end();
      });
      return stream;
    },
  } as unknown as Docker;
}

describe('pullImage', () => {
  it('reports per-layer progress and succeeds on a clean pull', async () => {
    const seen: string[] = [];
    await pullImage(fakeDocker([
      { status: 'Pulling from glowworm/backend', id: '1.1.0' },
      { status: 'Downloading', id: 'a1b2', progressDetail: { current: 512, total: 1024 } },
      { status: 'Pull complete', id: 'a1b2' },
      { status: 'Digest: sha256:abc' },
    ]), 'x/backend:1.1.0', (p) => seen.push(`${p.layer}:${p.status}:${p.current ?? ''}/${p.total ?? ''}`));
    expect(seen).toContain('a1b2:Downloading:512/1024');
  });

  it('fails when a progress line carries an error, although followProgress reports success', async () => {
    const lines = [
      { status: 'Downloading', id: 'a1b2', progressDetail: { current: 512, total: 1024 } },
      { errorDetail: { message: 'unexpected EOF' }, error: 'unexpected EOF' },
    ];
    // The trap itself: the library's callback gets no error for this stream.
    const modemError = await new Promise((resolve) => {
      void fakeDocker(lines).pull('x').then((s) => new Modem().followProgress(s as NodeJS.ReadableStream, (err: unknown) => resolve(err ?? null)));
    });
    expect(modemError).toBeNull();
    await expect(pullImage(fakeDocker(lines), 'x/backend:1.1.0', () => undefined)).rejects.toMatchObject({
      code: 'docker.pull-failed',
      message: expect.stringContaining('unexpected EOF'),
    });
  });
});
