import { describe, expect, it } from 'vitest';
import { checkContainer, containerRule } from './container-check.js';
import { BACKEND_IMAGE, WORKER_CMD, containerDetails, fakeDocker, workerState } from './fake-docker.fixture.js';

const opts = { timeoutMs: 2_000, settleMs: 120, pollMs: 20 };
const healthcheck = BACKEND_IMAGE.config['Healthcheck'];

describe('containerRule: judged by what the container runs, decided from its inspect', () => {
  it('a container with the image\'s healthcheck but another command is judged by staying up, and says why', () => {
    const rule = containerRule(containerDetails('any-name-at-all', workerState()), BACKEND_IMAGE);
    expect(rule.kind).toBe('stays-up');
    expect(rule.kind === 'stays-up' && rule.why).toBe(
      "its healthcheck comes from the image and probes http://localhost:8001/health, the server of the image's default command " +
      '(/app/start-backend-with-migrations.sh), which this container does not run (it runs celery -A celery_app worker --beat --loglevel=info --concur…)',
    );
  });

  it("keeps Docker's health for the image's own command, a healthcheck of its own, no healthcheck, or an image it cannot read", () => {
    expect(containerRule(containerDetails('glowworm-backend'), BACKEND_IMAGE).kind).toBe('health');
    const own = { Cmd: WORKER_CMD, Healthcheck: { Test: ['CMD-SHELL', 'celery -A celery_app inspect ping'], Interval: 30_000_000_000 } };
    expect(containerRule(containerDetails('w', { config: own }), BACKEND_IMAGE).kind).toBe('health');
    expect(containerRule(containerDetails('w', { config: { Cmd: WORKER_CMD, Healthcheck: { Test: ['NONE'] } } }), BACKEND_IMAGE).kind).toBe('health');
    expect(containerRule(containerDetails('w', { config: { Cmd: WORKER_CMD } }), { config: { Cmd: ['/start.sh'] } }).kind).toBe('health');
    expect(containerRule(containerDetails('w', workerState()), null).kind).toBe('health');
  });

  it('an entrypoint of its own counts as another command too', () => {
    const c = containerDetails('w', { config: { Entrypoint: ['/worker.sh'], Cmd: BACKEND_IMAGE.config['Cmd'], Healthcheck: healthcheck } });
    expect(containerRule(c, BACKEND_IMAGE).kind).toBe('stays-up');
  });
});

describe('checkContainer', () => {
  it('passes a worker that Docker calls unhealthy while it stays up through the settle window, polling it', async () => {
    const { port, inspected } = fakeDocker({ 'glowworm-celery-worker': [workerState()] });
    const r = await checkContainer(port, 'glowworm-celery-worker', opts);
    expect(r).toMatchObject({ check: 'container-health', container: 'glowworm-celery-worker', passed: true, failure: null });
    expect(r.detail).toMatch(/^running, no restart in 0 s; judged by that, not by Docker's health "unhealthy": its healthcheck comes from the image/);
    expect(inspected.length).toBeGreaterThan(3);
  });

  it('fails such a worker at once when it restarts or exits during the window', async () => {
    const restarted = fakeDocker({ w: [workerState(), workerState({ restartCount: 1 })] });
    expect(await checkContainer(restarted.port, 'w', { ...opts, settleMs: 60_000 })).toMatchObject({ passed: false, failure: 'restarting' });
    const exited = fakeDocker({ w: [workerState(), workerState({ running: false, status: 'exited', exitCode: 1 })] });
    expect(await checkContainer(exited.port, 'w', { ...opts, settleMs: 60_000 })).toMatchObject({ passed: false, failure: 'exited', detail: 'w is not running (exited, exit code 1).' });
  });

  it("keeps today's rule for the rest: an unhealthy backend fails fast, a healthy one passes, a missing one fails", async () => {
    const { port } = fakeDocker({ b: [{ health: 'unhealthy' }], ok: [{ health: 'starting' }, { health: 'healthy' }] });
    expect(await checkContainer(port, 'b', opts)).toMatchObject({ passed: false, failure: 'unhealthy', detail: 'b reports unhealthy.' });
    expect(await checkContainer(port, 'ok', opts)).toMatchObject({ passed: true, detail: 'running, healthy' });
    expect(await checkContainer(port, 'gone', opts)).toMatchObject({ passed: false, failure: 'missing' });
  });
});
