import { describe, expect, it } from 'vitest';
import type { EventOf, EventPayload } from '../events.js';
import { Redactor } from '../secrets.js';
import { captureBaseline, runVerification, type VerifyExpectations } from './run-checks.js';
import { fakeDocker, workerState } from './fake-docker.fixture.js';

// Nothing listens on port 1: the database checks fail the same way every time ("error:db.connect-failed"), which is
// what a baseline must see through; the container and /health checks are the fake's.
const expectations: VerifyExpectations = {
  backend: 'glowworm-backend',
  containers: ['glowworm-backend', 'glowworm-celery-worker', 'glowworm-frontend'],
  heads: ['h1'],
  tables: ['users'],
  creds: { user: 'u', password: 'p', database: 'glowworm', host: '127.0.0.1', port: 1 },
  healthTimeoutMs: 2_000,
  settleMs: 50,
};
const health500 = { exitCode: 0, stdout: '{"detail":"Internal Server Error"}\n500', stderr: '' };

function collect() {
  const events: EventPayload[] = [];
  return { events, emit: (e: EventPayload) => void events.push(e), checks: () => events.filter((e): e is EventOf<'verify.check'> => e.type === 'verify.check') };
}

describe('runVerification', () => {
  it('checks every container, one bad container hiding none of the others, and fails only on what fails', async () => {
    const { port } = fakeDocker({
      'glowworm-backend': [{ health: 'unhealthy' }],
      'glowworm-celery-worker': [workerState()],
      'glowworm-frontend': [{ health: 'healthy' }],
    });
    const out = collect();
    const outcome = await runVerification({ docker: port, redactor: new Redactor(), emit: out.emit }, expectations);
    const containers = out.checks().filter((c) => c.check === 'container-health');
    expect(containers.map((c) => [c.container, c.passed, c.failure]).sort()).toEqual([
      ['glowworm-backend', false, 'unhealthy'],
      ['glowworm-celery-worker', true, null],
      ['glowworm-frontend', true, null],
    ]);
    expect(out.checks().map((c) => c.check)).toEqual(['container-health', 'container-health', 'container-health', 'http-health', 'alembic-head', 'schema', 'settings-api']);
    expect(out.checks().every((c) => c.baseline === 'not-recorded' && c.ok === c.passed)).toBe(true);
    expect(outcome.ok).toBe(false);
    expect(outcome.failures[0]).toBe('container-health glowworm-backend: glowworm-backend reports unhealthy.');
    expect(outcome.failures.slice(1).map((f) => f.split(':')[0])).toEqual(['alembic-head', 'schema', 'settings-api']); // no database there
  });

  it('passes a run whose only failures are the baseline\'s, failing the same way, and names them in a notice', async () => {
    const before = fakeDocker({ 'glowworm-backend': [{}], 'glowworm-celery-worker': [workerState()], 'glowworm-frontend': [{}] }, { health: health500 });
    const { baseline, failing } = await captureBaseline({ docker: before.port, redactor: new Redactor() }, expectations);
    expect(baseline['http-health']).toEqual({ passed: false, failure: 'http-500', detail: expect.stringContaining('GET /health: 500') });
    expect(baseline['container-health:glowworm-celery-worker']).toMatchObject({ passed: true });
    expect(failing).toHaveLength(4);

    const after = fakeDocker({ 'glowworm-backend': [{}], 'glowworm-celery-worker': [workerState()], 'glowworm-frontend': [{}] }, { health: health500 });
    const out = collect();
    const outcome = await runVerification({ docker: after.port, redactor: new Redactor(), emit: out.emit }, { ...expectations, baseline });
    expect(outcome.ok).toBe(true);
    expect(out.checks().find((c) => c.check === 'http-health')).toMatchObject({ ok: true, passed: false, baseline: 'failed-same', failure: 'http-500' });
    expect(out.events.find((e) => e.type === 'notice')).toMatchObject({
      level: 'warn',
      message: 'Already failing before the upgrade, and failing the same way now (not caused by it): http-health, alembic-head, schema, settings-api.',
    });
    expect(outcome.summary).toBe('3 of 7 checks passed; already failing before the upgrade (not caused by it): http-health, alembic-head, schema, settings-api');
  });

  it('fails a run whose check fails differently from the baseline', async () => {
    const before = fakeDocker({ 'glowworm-backend': [{}], 'glowworm-celery-worker': [workerState()], 'glowworm-frontend': [{}] }, { health: health500 });
    const { baseline } = await captureBaseline({ docker: before.port, redactor: new Redactor() }, expectations);
    const after = fakeDocker(
      { 'glowworm-backend': [{}], 'glowworm-celery-worker': [workerState()], 'glowworm-frontend': [{}] },
      { health: { exitCode: 7, stdout: '', stderr: 'curl: (7) Failed to connect to localhost port 8001' } },
    );
    const out = collect();
    const outcome = await runVerification({ docker: after.port, redactor: new Redactor(), emit: out.emit }, { ...expectations, baseline });
    expect(outcome.ok).toBe(false);
    expect(out.checks().find((c) => c.check === 'http-health')).toMatchObject({ ok: false, baseline: 'failed-differently', failure: 'unreachable' });
    expect(outcome.failures).toEqual([expect.stringMatching(/^http-health \(failing before the upgrade too, but differently; before: GET \/health: 500/)]);
  });
});
