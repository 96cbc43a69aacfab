import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGlowwormCommand, processIdentity } from '../host-process.js';
import { RunLock, inspectLock, lockPath } from './lock.js';

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
    await mkdir(join(dir, '.glowworm', 'runs'), { recursive: true });
    await writeFile(join(dir, '.glowworm', 'runs', 'old-run.json'), '{}'); // it got as far as its journal
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

  it('records who took it: the start time and command line /proc shows for this process', async () => {
    const dir = await tmp();
    const lock = await RunLock.acquire(dir, { runId: 'me', command: 'upgrade' });
    const me = processIdentity(process.pid)!;
    expect(JSON.parse(await readFile(lockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid, processStart: me.startTime, processCmdline: me.cmdline });
    expect(await inspectLock(dir)).toMatchObject({ live: true });
    await lock.release();
    expect(await inspectLock(dir)).toBeNull();
  });

  it('a live pid that is not the recorded process (pid reused) is stale, and --resume takes it over', async () => {
    const dir = await tmp();
    await RunLock.acquire(dir, { runId: 'x', command: 'upgrade' }).then((l) => l.release());
    const me = processIdentity(process.pid)!;
    const reused = { pid: process.pid, host: hostname(), runId: 'before-reboot', command: 'upgrade', startedAt: 'then', processStart: `${me.startTime}1`, processCmdline: me.cmdline };
    await writeFile(lockPath(dir), JSON.stringify(reused));
    const err = await RunLock.acquire(dir, { runId: 'new', command: 'upgrade' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'lock.stale' });
    expect(err.message).toContain(`pid ${process.pid} is now another process`);
    // It never wrote its journal: the hint names the way out when --resume finds nothing to continue.
    expect(err.hint).toContain(`if there is no unfinished upgrade to resume, remove ${lockPath(dir)}`);
    const taken = await RunLock.acquire(dir, { runId: 'new', command: 'upgrade' }, { takeOverStale: true });
    await taken.release();
  });

  it("judges an older version's lock (pid only) by the command line: pid 1 is stale, a glowworm process is not", async () => {
    const dir = await tmp();
    await RunLock.acquire(dir, { runId: 'x', command: 'upgrade' }).then((l) => l.release());
    await writeFile(lockPath(dir), JSON.stringify({ pid: 1, host: hostname(), runId: 'old', command: 'backup', startedAt: 'then' }));
    const err = await RunLock.acquire(dir, { runId: 'new', command: 'upgrade' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'lock.stale' });
    expect(err.message).toContain('pid 1 is now another process');

    // A process whose script is named glowworm, as the launcher is: an older run still working.
    const script = join(dir, 'glowworm');
    await writeFile(script, 'console.log("up"); setTimeout(() => {}, 60_000);');
    const child = spawn(process.execPath, ['--no-warnings', script]);
    await new Promise((r) => child.stdout.once('data', r)); // exec'd: /proc shows its own command line, not ours
    try {
      await writeFile(lockPath(dir), JSON.stringify({ pid: child.pid, host: hostname(), runId: 'older', command: 'upgrade', startedAt: 'then' }));
      await expect(RunLock.acquire(dir, { runId: 'new', command: 'upgrade' })).rejects.toMatchObject({ code: 'lock.held', hint: 'Wait for it to finish.' });
    } finally {
      child.kill();
    }
  });
});

describe('isGlowwormCommand', () => {
  it('knows the launcher and the built entry, run directly or by node, and nothing else', () => {
    expect(isGlowwormCommand(['/usr/local/bin/glowworm', 'upgrade'])).toBe(true);
    expect(isGlowwormCommand(['node', '/srv/tool/bin/glowworm', 'upgrade'])).toBe(true);
    expect(isGlowwormCommand(['/usr/bin/node', '--enable-source-maps', '/srv/tool/dist/src/cli/main.js'])).toBe(true);
    expect(isGlowwormCommand(['/sbin/init'])).toBe(false);
    expect(isGlowwormCommand(['vim', '/srv/glowworm/docker-compose.yml'])).toBe(false);
    expect(isGlowwormCommand(['node', 'server.js', 'glowworm'])).toBe(false);
    expect(isGlowwormCommand([])).toBe(false);
  });
});
