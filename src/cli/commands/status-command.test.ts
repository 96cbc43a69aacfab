// What `glowworm status` makes of what a fault left: the verdict, the exit code, and the report's first rows.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceStatus, StatusReport } from '../../engine/api.js';
import { readAttention } from '../../engine/commands/status.js';
import { Journal } from '../../engine/runbook/journal.js';
import { RunLock, lockPath } from '../../engine/runbook/lock.js';
import { Redactor } from '../../engine/secrets.js';
import { statusRows } from '../../ui/state/report-rows.js';
import { rowsText } from '../../ui/state/rows.js';
import { statusExitCode } from './status-command.js';

const service = (name: string, role: string, state: string): ServiceStatus =>
  ({ service: name, role, container: `p-${name}`, state, health: null, restartCount: 0, image: null, version: null });
const up = [service('glowworm-mysql', 'db', 'running'), service('glowworm-backend', 'backend', 'running')];

async function project(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'gw-status-'));
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

const report = (attention: Awaited<ReturnType<typeof readAttention>>): StatusReport & { attention: typeof attention } => ({
  project: { name: 'p', dir: '/p', files: [] }, services: up, database: { reachable: true, name: 'glowworm', revisions: [], tables: 0 },
  backendImage: null, latestBackup: null, warnings: [], attention,
});

describe('status after a fault', () => {
  it('a healthy project: nothing to do, exit 0, no attention rows', async () => {
    const a = await readAttention(await project(), up);
    expect(a).toEqual({ verdict: 'ok', unfinishedRun: null, incompleteRun: null, journalError: null, lock: null, notRunning: [], crashLoop: null, next: [] });
    expect(statusExitCode(report(a))).toBe(0);
    expect(rowsText(statusRows(report(a)))).not.toContain('Needs attention');
  });

  it('an upgrade killed after its stop step: the run, the dead lock, the stopped containers, --resume; exit 6, said first', async () => {
    const dir = await project();
    const j = await Journal.create(dir, 'run-1', 'upgrade', new Redactor());
    await j.stepStarted('02-stop:app', 'Stop the app');
    await j.stepEnded('02-stop:app', 'completed');
    await writeFile(lockPath(dir), JSON.stringify({ pid: await deadPid(), host: hostname(), runId: 'run-1', command: 'upgrade', startedAt: 'then' }));
    const a = await readAttention(dir, [...up, service('glowworm-frontend', 'frontend', 'exited'), service('nginx', 'other', 'exited')]);
    expect(a).toMatchObject({
      verdict: 'attention',
      unfinishedRun: { runId: 'run-1', stoppedAt: { step: '02-stop:app', status: 'completed' } },
      lock: { runId: 'run-1', alive: false },
      notRunning: [{ service: 'glowworm-frontend', container: 'p-glowworm-frontend', state: 'exited' }], // not another program's
    });
    expect(a.next).toEqual([expect.stringContaining('`glowworm upgrade --resume`')]); // the resume takes the lock over too
    expect(statusExitCode(report(a))).toBe(6);
    const text = rowsText(statusRows(report(a)));
    expect(text.indexOf('Needs attention')).toBeLessThan(text.indexOf('Containers'));
    expect(text).toContain('✘ Upgrade run run-1 did not finish (running): it stopped after "Stop the app" (02-stop:app)');
    expect(text).toContain('✘ Not running: p-glowworm-frontend (exited)');
  });

  it('a restore whose put-back failed: the run, its backup and the restore command that puts the database back; exit 6', async () => {
    const dir = await project();
    const j = await Journal.create(dir, 'run-2', 'restore', new Redactor());
    await j.setState('backup', { file: '/p/.glowworm/backups/safety.sql.gz' });
    await j.stepStarted('undo:restore', 'Undo: Restore x.sql.gz');
    await j.stepEnded('undo:restore', 'failed');
    await j.finish('rollback-incomplete');
    const a = await readAttention(dir, up);
    expect(a).toMatchObject({ verdict: 'attention', incompleteRun: { runId: 'run-2', command: 'restore', status: 'rollback-incomplete', backup: '/p/.glowworm/backups/safety.sql.gz' } });
    expect(a.next).toEqual([expect.stringContaining('`glowworm restore /p/.glowworm/backups/safety.sql.gz`')]);
    expect(statusExitCode(report(a))).toBe(6);
    // A later run that ended cleanly means the user has moved on; and a run that itself ended cleanly is nothing.
    const later = await Journal.create(dir, 'run-3', 'backup', new Redactor());
    await later.finish('completed');
    expect((await readAttention(dir, up)).verdict).toBe('ok');
    await j.finish('rolled-back');
    expect((await readAttention(dir, up)).incompleteRun).toBeNull();
  });

  it('app containers stopped by hand, nothing unfinished: how to start them; exit 6', async () => {
    const a = await readAttention(await project(), [...up, service('glowworm-frontend', 'frontend', 'exited')]);
    expect(a.verdict).toBe('attention');
    expect(a.next).toEqual([expect.stringContaining('docker compose up -d')]);
  });

  it('a live run holding the lock: wait for it, exit 75', async () => {
    const dir = await project();
    const lock = await RunLock.acquire(dir, { runId: 'live', command: 'backup' });
    try {
      const a = await readAttention(dir, [...up, service('glowworm-frontend', 'frontend', 'exited')]);
      expect(a).toMatchObject({ verdict: 'running', lock: { runId: 'live', alive: true }, next: ['Wait for it to finish.'] });
      expect(statusExitCode(report(a))).toBe(75);
    } finally {
      await lock.release();
    }
  });
});
