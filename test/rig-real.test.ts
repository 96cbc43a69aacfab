// Integration test of the rig's real-shaped releases (oct-2025, nov-2025-1064, nov-2025), against the real Docker
// engine, registry and MariaDB: each behaves as glowworm-facts.md says the real release does.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPOSE_FILE_NAME,
  REAL_RELEASES,
  SEEDED_SETTINGS,
  SEEDED_UPLOADS,
  SEED_COUNTS,
  alembicRevision,
  compose,
  docker,
  projectContainers,
  publishRelease,
  publishedRef,
  rigSetup,
  rowCounts,
  stackDown,
  stackUp,
  tmpStackDir,
  type ContainerState,
  type Stack,
} from './rig/index.js';
import { sleep, waitFor } from './rig/process.js';

async function dockerOut(args: string[]): Promise<string> {
  const result = await docker(args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

/** An HTTP call from inside the backend container (its port is not published in the newest shape). */
async function backendCall(stack: Stack, method: string, path: string, options: { body?: unknown; token?: string } = {}) {
  const result = await docker([
    'exec', stack.containers['glowworm-backend']!, 'curl', '-sS', '-D', '/dev/stderr', '-X', method, '-w', '\n%{http_code}',
    ...(options.token ? ['-H', `Authorization: Bearer ${options.token}`] : []),
    ...(options.body === undefined ? [] : ['-H', 'Content-Type: application/json', '--data', JSON.stringify(options.body)]),
    `http://localhost:8001${path}`,
  ]);
  const lines = result.stdout.split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n'), headers: result.stderr };
}

async function settingsAsAdmin(stack: Stack) {
  const login = await backendCall(stack, 'POST', '/api/auth/login', { body: stack.admin });
  expect(login.status).toBe(200);
  const token = /glowworm_session=([^;]+)/.exec(login.headers)?.[1];
  return backendCall(stack, 'GET', '/api/settings', { token });
}

async function container(stack: Stack, service: string): Promise<ContainerState> {
  const found = (await projectContainers(stack.project)).find((c) => c.service === service);
  expect(found, service).toBeDefined();
  return found!;
}

async function expectNoVersionLabel(stack: Stack) {
  for (const ref of [stack.images.backend, stack.images.frontend]) {
    const labels = JSON.parse(await dockerOut(['image', 'inspect', '--format', '{{json .Config.Labels}}', ref])) as Record<string, string>;
    expect(Object.keys(labels), ref).toEqual(['io.glowworm.rig.recipe']);
  }
}

/** The seeded settings as the newest app types them ('integer' rows are stored as 'number'). */
function expectedSettings(): Record<string, unknown> {
  const typed = (value: string, type: string): unknown =>
    type === 'integer' ? Number(value) : type === 'boolean' ? value === 'true' : type === 'json' ? JSON.parse(value) : value;
  return Object.fromEntries(SEEDED_SETTINGS.map((s) => [s.key, typed(s.value, s.type)]));
}

beforeAll(() => rigSetup());

/** A stack of the release for the enclosing describe: up before its tests, down after them. */
function stackFor(release: 'oct-2025' | 'nov-2025'): { dir: string; readonly stack: Stack } {
  const prefix = `r${randomBytes(3).toString('hex')}-`;
  const dir = tmpStackDir(`rig-real-${release}`);
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await stackUp({ release, dir, prefix });
  });
  afterAll(() => stackDown(dir, prefix));
  return {
    dir,
    get stack() {
      if (!stack) throw new Error(`the ${release} stack did not come up`);
      return stack;
    },
  };
}

describe('an oct-2025 stack', () => {
  const oct = stackFor('oct-2025');
  const { dir } = oct;
  let stack: Stack;
  beforeAll(() => {
    stack = oct.stack;
  });

  it('comes up healthy at 5595cc4b4e79 with three services, seeded rows and uploaded files', async () => {
    expect(stack).toMatchObject({ shape: 'oct-2025', head: '5595cc4b4e79', release: 'oct-2025' });
    expect(stack.images.backend).toBe(`127.0.0.1:5000/${stack.namespace}/glowworm-backend:latest`);
    const containers = await projectContainers(stack.project);
    expect(containers.map((c) => c.service).sort()).toEqual(['glowworm-backend', 'glowworm-frontend', 'glowworm-mysql']);
    for (const c of containers) expect(c.status, c.name).toBe('running');
    expect((await container(stack, 'glowworm-backend')).health).toBe('healthy');
    expect(await alembicRevision(stack)).toBe('5595cc4b4e79');
    const counts = await rowCounts(stack);
    expect(counts).toMatchObject({ users: SEED_COUNTS.users, images: SEED_COUNTS.images, display_devices: SEED_COUNTS.displayDevices });
    expect(counts.device_logs).toBeUndefined(); // created by a1b2c3d4e5f6, after the October head
    expect(counts.system_settings).toBeGreaterThanOrEqual(SEEDED_SETTINGS.length);
    expect(readdirSync(join(dir, 'data', 'uploads'))).toHaveLength(SEEDED_UPLOADS);
    const inside = await dockerOut(['exec', stack.containers['glowworm-backend']!, 'ls', '/app/uploads']);
    expect(inside.split('\n')).toHaveLength(SEEDED_UPLOADS);
  });

  it('keeps the datadir in the bind mount ./data/mysql, runs the server as a child of the start script', async () => {
    const mounts = JSON.parse(await dockerOut(['inspect', '--format', '{{json .Mounts}}', stack.containers['glowworm-mysql']!])) as {
      Type: string;
      Source: string;
      Destination: string;
    }[];
    expect(mounts.find((m) => m.Destination === '/var/lib/mysql')).toMatchObject({ Type: 'bind', Source: join(dir, 'data', 'mysql') });
    expect(readdirSync(join(dir, 'data', 'mysql'))).toEqual(expect.arrayContaining(['glowworm', 'ibdata1', 'mysql']));
    const pid1 = await dockerOut(['exec', stack.containers['glowworm-backend']!, 'cat', '/proc/1/cmdline']);
    expect(pid1).toContain('start-backend-with-migrations.sh'); // bash is PID 1: SIGTERM never reaches the server
  });

  it('has no version label on its images; the frontend says 0.0.0', async () => {
    await expectNoVersionLabel(stack);
    const pkg = await dockerOut(['exec', stack.containers['glowworm-frontend']!, 'cat', '/app/package.json']);
    expect(JSON.parse(pkg)).toMatchObject({ version: '0.0.0' });
  });

  it('answers GET /api/settings as admin with 500: the settingtype enum lacks number', async () => {
    const reply = await settingsAsAdmin(stack);
    expect(reply.status).toBe(500);
    expect(reply.body).toContain("'number' is not among the defined enum values");
    expect(reply.body).toContain('settingtype');
  });

  it('restart-loops on nov-2025-1064 with error 1064, alembic_version left before the broken revision', async () => {
    const failure = REAL_RELEASES['nov-2025-1064'].failure!;
    const test = await publishRelease('nov-2025-1064', { namespace: stack.namespace, tag: 'test' });
    expect(test.backend).toBe(publishedRef(stack.namespace, 'backend', 'test'));
    const file = join(dir, COMPOSE_FILE_NAME);
    writeFileSync(file, readFileSync(file, 'utf8').replace(stack.images.backend, test.backend));
    expect((await compose(dir, ['up', '-d', '--no-deps', 'glowworm-backend'])).code).toBe(0);

    const backend = stack.containers['glowworm-backend']!;
    await waitFor('the backend to restart-loop', 180_000, async () => {
      const c = await container(stack, 'glowworm-backend');
      return c.image === test.backend && c.restartCount >= 2 ? true : undefined;
    });
    const logs = await docker(['logs', backend]);
    expect(logs.stdout).toContain('❌ Migration failed with return code 1');
    expect(logs.stdout).toMatch(/1064.*DROP TYPE IF EXISTS daemonstatus/s);
    expect(await alembicRevision(stack)).toBe(failure.leavesDatabaseAt);
    const counts = await rowCounts(stack);
    expect(counts.scheduled_playlists).toBe(0); // the 15 revisions before it were applied
    expect(counts.device_daemon_status).toBeUndefined();
  });
});

describe('a nov-2025 stack', () => {
  const nov = stackFor('nov-2025');
  const { dir } = nov;
  let stack: Stack;
  beforeAll(() => {
    stack = nov.stack;
  });

  it('comes up at 2024111000_exec_tracking with the tables of the newest head, seeded', async () => {
    expect(stack).toMatchObject({ shape: 'newest', head: '2024111000_exec_tracking' });
    expect(stack.images).toMatchObject({ mysql: 'mysql:8.0', redis: 'redis:7-alpine', frontend: expect.stringMatching(/\/glowworm-frontend:test$/) });
    expect(await alembicRevision(stack)).toBe('2024111000_exec_tracking');
    const counts = await rowCounts(stack);
    expect(Object.keys(counts).sort()).toEqual(
      [
        'albums', 'alembic_version', 'device_commands', 'device_daemon_status', 'device_logs', 'display_devices', 'images',
        'playlist_variants', 'playlists', 'scheduled_actions', 'scheduled_playlists', 'system_settings', 'user_logs',
        'user_sessions', 'users',
      ],
    );
    expect(counts).toMatchObject({ images: SEED_COUNTS.images, device_logs: SEED_COUNTS.deviceLogs });
    expect(readdirSync(join(dir, 'data', 'uploads'))).toHaveLength(SEEDED_UPLOADS);
  });

  it('runs the worker unhealthy by design: it inherits the image healthcheck and is never restarted', async () => {
    const worker = stack.containers['glowworm-celery-worker']!;
    await waitFor('the worker to turn unhealthy', 120_000, async () =>
      (await container(stack, 'glowworm-celery-worker')).health === 'unhealthy' ? true : undefined,
    );
    const startedAt = Date.parse(await dockerOut(['inspect', '--format', '{{.State.StartedAt}}', worker]));
    await sleep(Math.max(0, startedAt + 20_000 - Date.now()));
    expect(await container(stack, 'glowworm-celery-worker')).toMatchObject({ status: 'running', health: 'unhealthy', restartCount: 0 });
    expect((await docker(['logs', worker])).stdout).toContain('Connected to redis://glowworm-redis:6379/0');
    expect((await container(stack, 'glowworm-backend')).health).toBe('healthy');
  });

  it('answers GET /api/settings as admin with 200 and the seeded settings, typed', async () => {
    const reply = await settingsAsAdmin(stack);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ success: true, settings: expect.objectContaining(expectedSettings()) });
  });

  it('has no version label on its images; the frontend says 2.0.0', async () => {
    await expectNoVersionLabel(stack);
    const pkg = await dockerOut(['exec', stack.containers['glowworm-frontend']!, 'cat', '/app/package.json']);
    expect(JSON.parse(pkg)).toMatchObject({ version: '2.0.0' });
  });
});
