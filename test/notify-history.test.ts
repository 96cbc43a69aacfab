// --notify and `glowworm history` on a real upgrade: a webhook listener started here receives one JSON body for a
// failed upgrade to 1.2.0-broken (rolled back, the failing revision and its error named) and one for a completed
// upgrade to 1.1.0 (versions, downtime, backup path); a URL nobody listens on is retried and warned about and leaves
// the exit code as it was; no body holds a secret. `history --json` then lists the 4 migrations of 1.1.0, each timed.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../src/engine/api.js';
import { revisionGraph, RELEASES, stackDown, stackEnv, stackUp, tmpStackDir, type Stack } from './rig/index.js';
import { startHookListener, unreachableUrl, type HookListener } from './support/hook-listener.js';
import { runGlowworm, type CliRun } from './support/run-glowworm.js';

const dir = tmpStackDir('notify');
let stack: Stack;
let hooks: HookListener;
let nobody: string;
let failed: CliRun;
let completed: CliRun;

const bodies = (path: string) => hooks.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);

beforeAll(async () => {
  hooks = await startHookListener();
  nobody = await unreachableUrl();
  stack = await stackUp({ version: '1.0.0', dir, prefix: `n${randomBytes(3).toString('hex')}-` });
  failed = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.2.0-broken', '--yes', '--json', '--notify', hooks.url('/hook'), '--notify', nobody]);
  completed = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--notify', hooks.url('/flaky/done')],
    { env: { GLOWWORM_NOTIFY: nobody } });
}, 600_000);
afterAll(async () => {
  await hooks?.close();
  await stackDown(dir, stack?.prefix);
});

describe('--notify', () => {
  it('POSTs the failed upgrade to 1.2.0-broken as JSON: rolled back, with the failing revision and its error', () => {
    expect(failed.code, failed.stdout.slice(-1500)).toBe(1);
    const [body, ...more] = bodies('/hook');
    expect(more).toEqual([]);
    expect(hooks.received.find((r) => r.path === '/hook')!.headers['content-type']).toBe('application/json');
    expect(body).toMatchObject({ v: 1, event: 'failed-rolled-back', outcome: 'failed-rolled-back', command: 'upgrade', fromVersion: '1.0.0', toVersion: '1.2.0-broken', failedRevision: RELEASES['1.2.0-broken'].head });
    expect(String(body!['error'])).not.toBe('');
    expect(String(body!['backupPath'])).toContain(`${dir}/.glowworm/backups/`);
    expect(body!['durationMs']).toBeGreaterThan(0);
  });

  it('POSTs the completed upgrade to 1.1.0 with versions, downtime and the backup, after a retry', () => {
    expect(completed.code, completed.stdout.slice(-1500)).toBe(0);
    const [body, ...more] = bodies('/flaky/done'); // its first try answered 500
    expect(more).toEqual([]);
    expect(body).toMatchObject({ event: 'completed', outcome: 'ok', fromVersion: '1.0.0', toVersion: '1.1.0', failedRevision: null, error: null });
    expect(body!['downtimeMs']).toBeGreaterThan(0);
    expect(String(body!['backupPath'])).toMatch(/\.sql\.gz$/);
  });

  it('an unreachable URL is warned about (without its path) and leaves the exit code unchanged', () => {
    for (const run of [failed, completed]) {
      expect(run.stderr).toMatch(/notification to http:\/\/127\.0\.0\.1:\d+\/… could not be delivered after 3 tries/);
      expect(run.stderr).not.toContain('nobody-home');
    }
    expect([failed.code, completed.code]).toEqual([1, 0]);
  });

  it('puts no secret in any body', () => {
    const env = stackEnv(stack);
    const secrets = ['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD', 'SECRET_KEY'].map((k) => env[k]!);
    expect(secrets.every((s) => s.length >= 16)).toBe(true);
    for (const r of hooks.received) for (const s of secrets) expect(r.body).not.toContain(s);
  });
});

describe('glowworm history', () => {
  let runs: HistoryEntry[];
  beforeAll(async () => {
    const run = await runGlowworm(['history', '--project-dir', dir, '--json']);
    expect(run.code).toBe(0);
    runs = (JSON.parse(run.stdout) as { runs: HistoryEntry[] }).runs;
  });

  it('lists the 4 migrations of 1.1.0 (its two branches and their merge), each with its duration', () => {
    const old = revisionGraph(RELEASES['1.0.0'].migrations);
    const expected = [...revisionGraph(RELEASES['1.1.0'].migrations).keys()].filter((id) => !old.has(id)).sort();
    expect(expected).toHaveLength(4);
    const upgrade = runs.find((r) => r.toVersion === '1.1.0')!;
    expect(upgrade).toMatchObject({ command: 'upgrade', status: 'completed', outcome: 'ok', fromVersion: '1.0.0' });
    expect(upgrade.migrations.map((m) => m.revision).sort()).toEqual(expected);
    expect(upgrade.migrations.at(-1)!.revision).toBe(RELEASES['1.1.0'].head); // the merge comes last
    for (const m of upgrade.migrations) {
      expect(m.ok).toBe(true);
      expect(typeof m.durationMs).toBe('number');
      expect(m.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(upgrade.downtimeMs).toBeGreaterThan(0);
  });

  it('lists the failed run too, newest first, with the revision that failed', () => {
    const ids = runs.map((r) => r.runId);
    expect([...ids].sort().reverse()).toEqual(ids);
    const broken = runs.find((r) => r.toVersion === '1.2.0-broken')!;
    expect(broken).toMatchObject({ status: 'rolled-back', outcome: 'failed-rolled-back', failedRevision: RELEASES['1.2.0-broken'].head });
    expect(runs.indexOf(broken)).toBeGreaterThan(runs.findIndex((r) => r.toVersion === '1.1.0'));
  });

  it('prints the same as text', async () => {
    const run = await runGlowworm(['history', '--project-dir', dir]);
    expect(run.stdout).toMatch(/upgrade\s+completed\s+1\.0\.0 → 1\.1\.0/);
    expect(run.stdout).toContain(`failed at ${RELEASES['1.2.0-broken'].head}`);
  });
});
