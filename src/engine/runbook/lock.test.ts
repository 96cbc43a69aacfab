import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunLock, lockPath } from './lock.js';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'gw-lock-'));
}

/** The pid of a process that has certainly exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  await new Promise((r) => child.on('exit', r));
  return pid;
}

describe('RunLock', () => {
  it('refuses a second run while the first holds the lock, and frees it on release', async () => {
    const dir = await tmp();
    const lock = await RunLock.acquire(dir, { runId: 'a', command: 'upgrade' });
    await expect(RunLock.acquire(dir, { runId: 'b', command: 'upgrade' })).rejects.toMatchObject({ code: 'lock.held' });
    await lock.release();
    const again = await RunLock.acquire(dir, { runId: 'c', command: 'upgrade' });
    expect(JSON.parse(await readFile(lockPath(dir), 'utf8'))).toMatchObject({ runId: 'c', pid: process.pid });
    await again.release();
  });

  it('reports a stale lock from a dead process, and lets --resume take it over', async () => {
    const dir = await tmp();
    await RunLock.acquire(dir, { runId: 'x', command: 'upgrade' }).then((l) => l.release());
    const pid = await deadPid();
    await writeFile(lockPath(dir), JSON.stringify({ pid, host: hostname(), runId: 'old-run', command: 'upgrade', startedAt: 'then' }));
    const err = await RunLock.acquire(dir, { runId: 'new', command: 'upgrade' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'lock.stale', kind: 'user' });
    expect(err.message).toContain('old-run');
    expect(err.hint).toContain('--resume');
    const taken = await RunLock.acquire(dir, { runId: 'new', command: 'upgrade' }, { takeOverStale: true });
    expect(JSON.parse(await readFile(lockPath(dir), 'utf8')).runId).toBe('new');
    await taken.release();
  });

  it('for a dead run that cannot be resumed, says what it may have left and how to go on, not --resume', async () => {
    const dir = await tmp();
    await RunLock.acquire(dir, { runId: 'x', command: 'backup' }).then((l) => l.release()); // makes .glowworm/
    const pid = await deadPid();
    await writeFile(lockPath(dir), JSON.stringify({ pid, host: hostname(), runId: 'killed-backup', command: 'backup', startedAt: 'then' }));
    const err = await RunLock.acquire(dir, { runId: 'new', command: 'upgrade' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'lock.stale' });
    expect(err.hint).not.toContain('--resume');
    expect(err.hint).toContain("may have left the app's services stopped");
    expect(err.hint).toContain('.glowworm/runs/killed-backup.json');
    expect(err.hint).toContain(`remove ${lockPath(dir)}`);
  });
});
