import { describe, expect, it } from 'vitest';
import { baselineOf, checkLine, judgeCheck, verifySummary } from './baseline.js';
import { failedCheck, passedCheck } from './check-result.js';

const settings500 = failedCheck('settings-api', 'http-500', 'GET /api/settings answered 500');
const settingsSwallowed = failedCheck('settings-api', 'swallowed-db-error', 'GET /api/settings answered 200 with only 7 other settings but none of the 12 rows');
const settingsOk = passedCheck('settings-api', '12 settings returned, matching system_settings');
const workerUnhealthy = failedCheck('container-health', 'unhealthy', 'glowworm-celery-worker reports unhealthy.', 'glowworm-celery-worker');

describe('judgeCheck: a check against the same check before the upgrade', () => {
  it('does not fail the run on a check that fails now exactly as it failed before, and says so', () => {
    const c = judgeCheck(settings500, baselineOf([settings500]));
    expect(c).toMatchObject({ ok: true, passed: false, baseline: 'failed-same', baselineDetail: 'GET /api/settings answered 500' });
    expect(checkLine(c)).toBe('settings-api (already failing before the upgrade): GET /api/settings answered 500');
  });

  it('compares the signature, not the detail: timings and counts in the text do not make it differ', () => {
    const before = failedCheck('settings-api', 'swallowed-db-error', 'GET /api/settings answered 200 with only 4 other settings but none of the 6 rows');
    expect(judgeCheck(settingsSwallowed, baselineOf([before])).baseline).toBe('failed-same');
  });

  it('fails the run on a check that failed before but fails differently now, naming what it said before', () => {
    const c = judgeCheck(settingsSwallowed, baselineOf([settings500]));
    expect(c).toMatchObject({ ok: false, baseline: 'failed-differently' });
    expect(checkLine(c)).toContain('failing before the upgrade too, but differently; before: GET /api/settings answered 500');
  });

  it('fails the run on a check that passed before and fails now', () => {
    const c = judgeCheck(settings500, baselineOf([settingsOk]));
    expect(c).toMatchObject({ ok: false, baseline: 'passed' });
    expect(checkLine(c)).toBe('settings-api (passed before the upgrade): GET /api/settings answered 500');
  });

  it('reports a check that failed before and passes now as fixed', () => {
    const c = judgeCheck(settingsOk, baselineOf([settings500]));
    expect(c).toMatchObject({ ok: true, passed: true, baseline: 'fixed' });
    expect(checkLine(c)).toBe('settings-api (fixed: failing before the upgrade): 12 settings returned, matching system_settings');
  });

  it('without a baseline, or without this check in it, a check must simply pass', () => {
    expect(judgeCheck(settings500, null)).toMatchObject({ ok: false, baseline: 'not-recorded' });
    expect(judgeCheck(settingsOk, undefined)).toMatchObject({ ok: true, baseline: 'not-recorded' });
    // Per container: the backend's result says nothing about a worker the upgrade creates.
    const backend = passedCheck('container-health', 'running, healthy', 'glowworm-backend');
    expect(judgeCheck(workerUnhealthy, baselineOf([backend]))).toMatchObject({ ok: false, baseline: 'not-recorded' });
    expect(judgeCheck(workerUnhealthy, baselineOf([workerUnhealthy]))).toMatchObject({ ok: true, baseline: 'failed-same' });
  });
});

describe('verifySummary', () => {
  it('names the checks already failing before the upgrade, and those that pass now', () => {
    const baseline = baselineOf([settings500, workerUnhealthy, failedCheck('schema', 'missing:displays', 'missing tables: displays')]);
    const checks = [
      judgeCheck(settings500, baseline),
      judgeCheck(workerUnhealthy, baseline),
      judgeCheck(passedCheck('schema', 'all 14 expected tables present'), baseline),
      judgeCheck(passedCheck('http-health', 'GET /health answered healthy'), baseline),
    ];
    expect(verifySummary(checks)).toBe(
      '2 of 4 checks passed; already failing before the upgrade (not caused by it): settings-api, container-health glowworm-celery-worker; ' +
      'passing now, failing before the upgrade: schema',
    );
    expect(verifySummary([judgeCheck(settingsOk, null), judgeCheck(passedCheck('schema', 'all present'), null)])).toBe('all 2 checks passed');
  });
});
