// The lane's lock, taken before each integration file of a lane runs and held until the file is done (vitest.config.ts
// says why). Vitest runs the two lanes' files in one pool of two workers and cannot keep one lane's files apart by
// itself, so a file whose lane is busy waits here for the file before it. The lock is a directory named by the vitest
// run and the lane (another checkout's run on this machine has its own), with the holder's pid in it: a lock whose
// holder died (a worker killed) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { processAlive } from '../../src/engine/host-process.js';

const lane = process.env['GLOWWORM_LANE'];
const run = process.env['GLOWWORM_LANE_RUN'];

function holder(dir: string): number | null {
  try {
    return Number(readFileSync(join(dir, 'pid'), 'utf8')) || null;
  } catch {
    return null;
  }
}

async function acquire(dir: string): Promise<void> {
  let emptySince: number | undefined;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = holder(dir);
    if (pid === null) {
      // Between its mkdir and its pid file, or left by a holder killed in between: wait a little before taking it.
      emptySince ??= Date.now();
      if (Date.now() - emptySince > 10_000) rmSync(dir, { recursive: true, force: true });
    } else {
      emptySince = undefined;
      if (!processAlive(pid)) rmSync(dir, { recursive: true, force: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function release(dir: string): void {
  if (holder(dir) === process.pid) rmSync(dir, { recursive: true, force: true });
}

if (lane && run) {
  const dir = join(tmpdir(), `glowworm-lane-${run}-${lane}`);
  await acquire(dir);
  process.once('exit', () => release(dir));
  afterAll(() => release(dir));
}
