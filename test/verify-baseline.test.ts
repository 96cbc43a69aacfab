// Checks judged relative to before the upgrade, on a real rig stack: a deployment whose settings API is broken before
// any upgrade (as the real late-October release's is) is upgraded, not rolled back for it; and an upgrade that does
// fail is rolled back to that same deployment with exit 1 ("you are back where you were"), not 3 ("needs attention").
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, dbQuery, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const checksOf = (run: CliRun, step: RegExp) => eventsOf(run, 'verify.check').filter((c) => step.test(c.step));

describe('a stack whose settings API already fails before the upgrade', () => {
  const dir = tmpStackDir('verify-baseline');
  let stack: Stack;
  let upgraded: CliRun;
  let checksumsBeforeBroken: Record<string, string>;
  let broken: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: `b${randomBytes(3).toString('hex')}-` });
    // Broken through the database, as in the field: a column the app's settings query reads is gone. The app swallows
    // the error and answers 200 without the settings, and it does so on 1.0.0 already.
    await dbQuery(stack, 'ALTER TABLE system_settings CHANGE setting_type setting_kind VARCHAR(20) NULL');
    upgraded = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json']);
    checksumsBeforeBroken = await tableChecksums(stack);
    broken = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.2.0-broken', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('checks the running version first, and says what already fails there', () => {
    expect(eventsOf(upgraded, 'step.started').map((e) => e.step)).toContain('baseline');
    expect(eventsOf(upgraded, 'notice').map((n) => n.message).join('\n')).toMatch(/Failing before the upgrade, on the running version: settings-api: GET \/api\/settings answered 200/);
  });

  it('upgrades with exit 0, reporting the settings check as already failing before the upgrade', () => {
    expect(upgraded.code, upgraded.stderr).toBe(0);
    const settings = checksOf(upgraded, /-verify:/).find((c) => c.check === 'settings-api');
    expect(settings).toMatchObject({ ok: true, passed: false, failure: 'swallowed-db-error', baseline: 'failed-same' });
    expect(settings?.baselineDetail).toMatch(/the app swallowed a database error/);
    // Every other check passed, each container its own check, and all of them passed before too.
    const others = checksOf(upgraded, /-verify:/).filter((c) => c.check !== 'settings-api');
    expect(others.filter((c) => c.check === 'container-health').map((c) => c.container?.replace(stack.prefix, '')).sort())
      .toEqual(['glowworm-backend', 'glowworm-celery-worker', 'glowworm-frontend']);
    expect(others.every((c) => c.ok && c.passed && c.baseline === 'passed')).toBe(true);
    expect(eventsOf(upgraded, 'notice').map((n) => n.message)).toContain(
      'Already failing before the upgrade, and failing the same way now (not caused by it): settings-api.',
    );
    expect(eventsOf(upgraded, 'step.completed').find((s) => s.step.includes('-verify:'))?.summary)
      .toBe('7 of 8 checks passed; already failing before the upgrade (not caused by it): settings-api');
    expect(eventsOf(upgraded, 'run.finished')).toEqual([expect.objectContaining({ ok: true, outcome: 'ok' })]);
  });

  it('a failing upgrade from it rolls back completely and exits 1, the old version verified relative to before', async () => {
    expect(broken.code, broken.stderr).toBe(1);
    expect(eventsOf(broken, 'migration.failed')[0]).toMatchObject({ revision: '2024110900' });
    expect(eventsOf(broken, 'rollback.completed')).toEqual([expect.objectContaining({ ok: true, restoredDatabase: true })]);
    expect(checksOf(broken, /^rollback:verify$/).find((c) => c.check === 'settings-api')).toMatchObject({ ok: true, passed: false, baseline: 'failed-same' });
    expect(eventsOf(broken, 'upgrade.failed')[0]).toMatchObject({ rolledBack: true });
    expect(eventsOf(broken, 'run.finished')).toEqual([expect.objectContaining({ ok: false, outcome: 'failed-rolled-back' })]);
    expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    expect(await tableChecksums(stack)).toEqual(checksumsBeforeBroken);
  });
});
