import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { RIG_STATE_DIR } from './paths.js';
import { sleep } from './process.js';
import { say } from './log.js';

const LOCK_DIR = `${RIG_STATE_DIR}/setup.lock`;

function holderAlive(): boolean {
  let pid = 0;
  try {
    pid = Number(readFileSync(`${LOCK_DIR}/pid`, 'utf8'));
  } catch {
    // Just created, pid not written yet: count a young lock as held.
    try {
      return Date.now() - statSync(LOCK_DIR).mtimeMs < 10_000;
    } catch {
      return false; // released meanwhile
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Several checkouts share one machine: two setups at once would debootstrap into the same directory and push the
 * same tags. The second waits; a lock whose process died is taken over.
 */
export async function withSetupLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(RIG_STATE_DIR, { recursive: true });
  let announced = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(`${LOCK_DIR}/pid`, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive()) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (!announced) say(`another rig setup is running (lock ${LOCK_DIR}); waiting for it`);
      announced = true;
      await sleep(1000);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
