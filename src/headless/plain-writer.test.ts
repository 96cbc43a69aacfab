import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventOf } from '../engine/events.js';
import { fixturePlan } from '../ui/state/events.fixture.js';
import { PlainFormatter } from './plain-writer.js';

const stamp = { runId: 'r', step: 'plan', ts: 0 };

describe('PlainFormatter', () => {
  it('prints the plan text and the diff of every deployment change, for the person confirming at a plain prompt', () => {
    const diff = '--- a/docker-compose.yml\n+++ b/docker-compose.yml\n@@ -1 +1 @@\n-    image: backend:1.1.0\n+    image: backend:2.0.0\n';
    const plan = fixturePlan({ deployChanges: [{ name: 'image-tags', description: 'set the GlowWorm images to :2.0.0', diff }] });
    const out = new PlainFormatter().format({ ...stamp, type: 'plan.ready', plan, text: 'PLAN TEXT' } as EngineEvent);
    expect(out).toBe(`PLAN TEXT\nDeployment change image-tags:\n${diff.trimEnd()}`);
  });

  it('says "nothing to do" for an upgrade that was already up to date', () => {
    const done = { ...stamp, type: 'upgrade.completed', fromVersion: '1.1.0', toVersion: '1.1.0', durationMs: 900, downtimeMs: 0, backupPath: null } as EngineEvent;
    expect(new PlainFormatter().format(done)).toBe('Nothing to do: already on 1.1.0.');
  });
});

describe('PlainFormatter: steps', () => {
  it('names a step by its title, never by its internal id', () => {
    const f = new PlainFormatter();
    const step = { ...stamp, step: '10-wait-migrations:glowworm-backend' };
    const lines = [
      f.format({ ...step, type: 'step.started', title: 'Follow glowworm-backend while it migrates the database' } as EngineEvent),
      f.format({ ...step, type: 'step.failed', durationMs: 900, error: { kind: 'external', code: 'migration.failed', message: 'the backend failed to migrate' } } as EngineEvent),
      f.format({ ...step, step: '02-stop', type: 'step.started', title: 'Stop glowworm-frontend' } as EngineEvent),
      f.format({ ...step, step: '02-stop', type: 'step.completed', durationMs: 1500 } as EngineEvent),
    ];
    expect(lines).toEqual([
      '▶ Follow glowworm-backend while it migrates the database',
      '✘ Follow glowworm-backend while it migrates the database failed: the backend failed to migrate',
      '▶ Stop glowworm-frontend',
      '✔ Stop glowworm-frontend (1.5s)',
    ]);
  });
});

describe('PlainFormatter: a resumed run', () => {
  it('names a skipped step by the title its event carries: it never started in this run', () => {
    const skipped = { ...stamp, step: '10-wait-migrations:glowworm-backend', type: 'step.skipped', title: 'Follow glowworm-backend while it migrates the database', reason: 'already done before the run was interrupted' } as EngineEvent;
    expect(new PlainFormatter().format(skipped)).toBe('- Follow glowworm-backend while it migrates the database: skipped, already done before the run was interrupted');
  });
});

describe('PlainFormatter: a long pull', () => {
  const mb = 1_000_000; // docker counts decimal megabytes, and so do the lines
  const progress = (ts: number, layer: string, current: number, total: number) =>
    ({ ...stamp, step: 'preflight', ts, type: 'pull.progress', image: 'registry/backend:1.1.0', layer, status: 'Downloading', current, total }) as EngineEvent;

  it('says how far it got at most once every few seconds, with the image\'s bytes of its total', () => {
    const f = new PlainFormatter();
    const lines = [
      progress(1000, 'aaaaaaaaaaaa', 1 * mb, 100 * mb),
      progress(1500, 'bbbbbbbbbbbb', 0, 100 * mb),
      progress(4000, 'aaaaaaaaaaaa', 30 * mb, 100 * mb),
      progress(6000, 'bbbbbbbbbbbb', 20 * mb, 100 * mb),
      progress(7000, 'aaaaaaaaaaaa', 40 * mb, 100 * mb),
      progress(11_000, 'aaaaaaaaaaaa', 90 * mb, 100 * mb),
    ].map((e) => f.format(e));
    expect(lines).toEqual([null, null, null, '  pulling registry/backend:1.1.0: 50 MB of 200 MB (25%), 0/2 layers', null, '  pulling registry/backend:1.1.0: 110 MB of 200 MB (55%), 0/2 layers']);
  });
});

describe('PlainFormatter: a long backup', () => {
  it('says the bytes dumped of the expected total and the time left, at most once every few seconds', () => {
    const f = new PlainFormatter();
    const progress = (ts: number, bytes: number) => ({ ...stamp, step: '04-backup:glowworm', ts, type: 'backup.progress', bytes, total: 50_000_000, etaSeconds: 9 }) as EngineEvent;
    expect([progress(6000, 12_000_000), progress(7000, 14_000_000), progress(11_000, 30_000_000)].map((e) => f.format(e)))
      .toEqual(['  dumped 12 MB of ~50 MB, ~9s left', null, '  dumped 30 MB of ~50 MB, ~9s left']);
  });
});

describe('PlainFormatter: verification relative to before the upgrade', () => {
  const check = (fields: Partial<EventOf<'verify.check'>> & Pick<EventOf<'verify.check'>, 'check' | 'detail'>) =>
    ({ ...stamp, step: '08-verify:app', type: 'verify.check', container: null, ok: true, passed: true, failure: null, baseline: 'passed', baselineDetail: null, ...fields }) as EngineEvent;
  const already = { ok: true, passed: false, failure: 'http-500', baseline: 'failed-same', baselineDetail: 'GET /api/settings answered 500' } as const;

  it('marks each check, says which were already failing before the upgrade, and names them again on the last line', () => {
    const f = new PlainFormatter();
    expect(f.format(check({ check: 'container-health', container: 'glowworm-backend', detail: 'running, healthy' }))).toBe('  ✔ container-health glowworm-backend: running, healthy');
    expect(f.format(check({ check: 'settings-api', ...already, detail: 'GET /api/settings answered 500' })))
      .toBe('  ! settings-api (already failing before the upgrade): GET /api/settings answered 500');
    expect(f.format(check({ check: 'schema', ok: false, passed: false, failure: 'missing:users', detail: 'missing tables: users' })))
      .toBe('  ✘ schema (passed before the upgrade): missing tables: users');
    const done = { ...stamp, type: 'upgrade.completed', fromVersion: '1.0.0', toVersion: '1.1.0', durationMs: 9000, downtimeMs: 4000, backupPath: null } as EngineEvent;
    expect(f.format(done)).toBe('Upgraded 1.0.0 → 1.1.0 in 9s (app down 4s).\nAlready failing before the upgrade, and failing the same way now (not caused by it): settings-api.');
  });

  it('names only what the last verification found: a rollback that re-checks the same check replaces it', () => {
    const f = new PlainFormatter();
    f.format(check({ check: 'settings-api', ...already, detail: 'GET /api/settings answered 500' }));
    f.format(check({ check: 'settings-api', baseline: 'fixed', baselineDetail: 'GET /api/settings answered 500', detail: '6 settings returned' }));
    const failed = { ...stamp, type: 'upgrade.failed', error: { kind: 'external', code: 'x', message: 'boom' }, rolledBack: true, state: 'Running 1.0.0 again; verified.' } as EngineEvent;
    expect(f.format(failed)).toBe('Upgrade failed: boom\nRunning 1.0.0 again; verified.');
  });
});
