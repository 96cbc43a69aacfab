// One run at a time per project (design.md rule 5). The lock is a file created exclusively (O_EXCL) holding the
// owner's pid and host. A lock whose process is gone is stale: we say so, name the run it belonged to, and let
// `--resume` take it over — we never silently break a lock a live process holds.
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GlowwormError } from '../errors.js';
import { processAlive } from '../host-process.js';

export interface LockInfo {
  pid: number;
  host: string;
  runId: string;
  command: string;
  startedAt: string;
}

export function lockPath(projectDir: string): string {
  return join(projectDir, '.glowworm', 'lock');
}

async function readLock(path: string): Promise<LockInfo | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/**
 * What to do about a run that died holding the lock. Only an upgrade can be resumed; the others must be looked at
 * and started again, and each may have left something the user has to know about.
 */
export function staleLockHint(held: LockInfo | null, path: string): string {
  if (held?.command === 'upgrade') {
    return 'Run `glowworm upgrade --resume` to continue it, or `glowworm upgrade --rollback` to put everything back.';
  }
  const left: Record<string, string> = {
    backup: "It may have left the app's services stopped (`docker compose up -d` starts them) and an unverified backup file.",
    restore: 'The database may be partly restored: restore again once the lock is gone (its safety backup is listed by `glowworm doctor`).',
    reset: 'The database may be empty or partly migrated: restore the backup it took first once the lock is gone (`glowworm doctor` lists it).',
    migrate: 'The migrations may have stopped half-way: `glowworm doctor` shows where the database is.',
  };
  const steps = held ? ` Its steps are in .glowworm/runs/${held.runId}.json.` : '';
  return `${(held && left[held.command]) ?? 'Look at `glowworm status` first.'}${steps} A ${held?.command ?? 'run'} cannot be resumed: remove ${path} to go on.`;
}

export class RunLock {
  private constructor(private readonly path: string) {}

  /**
   * Take the lock. `takeOverStale`: replace a lock whose owner is dead (used by `--resume`).
   * Throws `lock.held` (another live run) or `lock.stale` (a dead run; resume or clear it).
   */
  static async acquire(projectDir: string, info: Omit<LockInfo, 'pid' | 'host' | 'startedAt'>, opts: { takeOverStale?: boolean } = {}): Promise<RunLock> {
    const path = lockPath(projectDir);
    await mkdir(join(projectDir, '.glowworm'), { recursive: true, mode: 0o700 });
    const mine: LockInfo = { ...info, pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(path, 'wx', 0o600);
        await fh.writeFile(JSON.stringify(mine, null, 2));
        await fh.sync();
        await fh.close();
        return new RunLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = await readLock(path);
      const sameHost = held?.host === hostname();
      if (held && (!sameHost || processAlive(held.pid))) {
        throw new GlowwormError(
          `Another glowworm ${held.command} (pid ${held.pid} on ${held.host}, run ${held.runId}, since ${held.startedAt}) is working on this project.`,
          { kind: 'user', code: 'lock.held', hint: sameHost ? 'Wait for it to finish.' : `It runs on another host; if it is gone, remove ${path}.` },
        );
      }
      if (!opts.takeOverStale) {
        throw new GlowwormError(
          held
            ? `A previous glowworm ${held.command} (run ${held.runId}, pid ${held.pid}) stopped without finishing: its process is gone.`
            : `A lock file ${path} exists but cannot be read.`,
          { kind: 'user', code: 'lock.stale', hint: staleLockHint(held, path) },
        );
      }
      await rm(path, { force: true });
    }
    throw new GlowwormError(`Could not take the lock ${path}.`, { kind: 'external', code: 'lock.race' });
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/** Who holds the project's lock, as its file says (null: no lock, or one that cannot be read). */
export function lockHolder(projectDir: string): Promise<LockInfo | null> {
  return readLock(lockPath(projectDir));
}
