// One run at a time per project (design.md rule 5). The lock is a file created exclusively (O_EXCL) holding the
// owner's pid, host, and — since a pid is reused (after a reboot, when pids wrap; pid 1 is always alive) — the
// owner's start time and command line. A lock whose process is gone, or whose pid now names another process, is
// stale: we say so, name the run it belonged to, and let `--resume` take it over — we never silently break a lock a
// live run holds.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GlowwormError } from '../errors.js';
import { isGlowwormCommand, ownIdentity, processAlive, processIdentity } from '../host-process.js';

export interface LockInfo {
  pid: number;
  host: string;
  runId: string;
  command: string;
  startedAt: string;
  /** The owner's start time (host-process.ts); absent in locks of older versions and where /proc cannot tell. */
  processStart?: string;
  /** The owner's command line, as /proc shows it; absent like processStart. */
  processCmdline?: string[];
}

/** Who holds a project's lock, and whether that run still lives. */
export interface LockStatus {
  path: string;
  /** null: the file exists but cannot be read. */
  held: LockInfo | null;
  /** The run is working (or runs on another host, where this one cannot tell). */
  live: boolean;
  /** One sentence: who holds it, and why it counts as live or stale. */
  message: string;
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

/** Why the holder's run is over, or null when it still runs (or cannot be told apart from a run that does). */
function whyOver(held: LockInfo): string | null {
  const now = processIdentity(held.pid);
  if (!now) return processAlive(held.pid) ? null : 'its process is gone';
  // A lock of this version names its owner exactly; one of an older version only by pid, so the process there must
  // at least be glowworm. The other program is named by its file name only: its arguments may hold its secrets.
  const same = held.processStart !== undefined || held.processCmdline !== undefined
    ? now.startTime === held.processStart && JSON.stringify(now.cmdline) === JSON.stringify(held.processCmdline)
    : isGlowwormCommand(now.cmdline);
  return same ? null : `pid ${held.pid} is now another process (${now.cmdline[0] ? basename(now.cmdline[0]) : 'a kernel thread'})`;
}

/** Who holds the project's lock, as its file says; null when nobody does or the file cannot be read. */
export async function lockHolder(projectDir: string): Promise<LockInfo | null> {
  return readLock(lockPath(projectDir));
}

/** Who holds the project's lock and whether it lives; null when nobody does. */
export async function inspectLock(projectDir: string): Promise<LockStatus | null> {
  const path = lockPath(projectDir);
  if (!existsSync(path)) return null;
  const held = await readLock(path);
  if (!held) return { path, held, live: false, message: `A lock file ${path} exists but cannot be read.` };
  // Another host's process cannot be looked at from here: its lock counts as live.
  const over = held.host === hostname() ? whyOver(held) : null;
  return over
    ? { path, held, live: false, message: `A previous glowworm ${held.command} (run ${held.runId}, pid ${held.pid}) stopped without finishing: ${over}.` }
    : { path, held, live: true, message: `Another glowworm ${held.command} (pid ${held.pid} on ${held.host}, run ${held.runId}, since ${held.startedAt}) is working on this project.` };
}

/**
 * What to do about a run that died holding the lock. Only an upgrade can be resumed; the others must be looked at
 * and started again, and each may have left something the user has to know about. An upgrade killed between taking
 * the lock and writing its journal leaves nothing to resume, and `--resume` would only say so: name the way out.
 */
export function staleLockHint(held: LockInfo | null, path: string): string {
  if (held?.command === 'upgrade') {
    const journal = join(dirname(path), 'runs', `${held.runId}.json`);
    const none = existsSync(journal) ? '' : ` Its run left no journal (.glowworm/runs/${held.runId}.json): if there is no unfinished upgrade to resume, remove ${path} to go on.`;
    return `Run \`glowworm upgrade --resume\` to continue it, or \`glowworm upgrade --rollback\` to put everything back.${none}`;
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

/** What the user is told about a live lock: wait, or, on another host, how to clear it if that run is gone. */
export function liveLockHint(status: LockStatus): string {
  return status.held?.host === hostname() ? 'Wait for it to finish.' : `It runs on another host; if it is gone, remove ${status.path}.`;
}

export class RunLock {
  private constructor(private readonly path: string) {}

  /**
   * Take the lock. `takeOverStale`: replace a lock whose owner is dead (used by `--resume`).
   * Throws `lock.held` (another live run) or `lock.stale` (a dead run; resume or clear it).
   */
  static async acquire(projectDir: string, info: Omit<LockInfo, 'pid' | 'host' | 'startedAt' | 'processStart' | 'processCmdline'>, opts: { takeOverStale?: boolean } = {}): Promise<RunLock> {
    const path = lockPath(projectDir);
    await mkdir(join(projectDir, '.glowworm'), { recursive: true, mode: 0o700 });
    const me = ownIdentity();
    const mine: LockInfo = {
      ...info, pid: process.pid, host: hostname(), startedAt: new Date().toISOString(),
      ...(me ? { processStart: me.startTime, processCmdline: me.cmdline } : {}),
    };
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
      const status = await inspectLock(projectDir);
      if (status?.live) throw new GlowwormError(status.message, { kind: 'user', code: 'lock.held', hint: liveLockHint(status) });
      if (status && !opts.takeOverStale) {
        throw new GlowwormError(status.message, { kind: 'user', code: 'lock.stale', hint: staleLockHint(status.held, path) });
      }
      await rm(path, { force: true });
    }
    throw new GlowwormError(`Could not take the lock ${path}.`, { kind: 'external', code: 'lock.race' });
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
