// Integration test of the test rig itself, against the real Docker engine, registry and MariaDB (no mocks).
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SEEDED_SETTINGS,
  SEED_COUNTS,
  alembicRevision,
  LOCAL_ALIASES,
  docker,
  fixtureImages,
  largeLayerNamespaceRefs,
  imageRef,
  projectContainers,
  rigSetup,
  rowCounts,
  stackDown,
  stackEnv,
  stackUp,
  tmpStackDir,
  type Stack,
} from './rig/index.js';

async function dockerLines(args: string[]): Promise<string[]> {
  const result = await docker(args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

/** What GET /api/settings must return for the seeded rows (values typed by setting_type). */
function expectedSettings(): Record<string, unknown> {
  const typed = (value: string, type: string): unknown =>
    type === 'integer' ? Number(value) : type === 'boolean' ? value === 'true' : type === 'json' ? JSON.parse(value) : value;
  return Object.fromEntries(SEEDED_SETTINGS.map((s) => [s.key, typed(s.value, s.type)]));
}

describe('rig setup', () => {
  it('is idempotent: a second run rebuilds and pushes nothing', async () => {
    await rigSetup();
    const again = await rigSetup();
    expect(again.baseImage).toMatch(/reused$/);
    // The rig model's 2 + 8 images, 6 of the real-shaped releases, the large-layer namespace's 1 + 7 (the large
    // 1.1.0 backend and the other rig releases beside it), and the local mysql:8.0 / redis:7-alpine aliases.
    expect(again.images.length).toBe(fixtureImages().length + largeLayerNamespaceRefs().length + Object.keys(LOCAL_ALIASES).length);
    expect(fixtureImages().length).toBe(16);
    expect(largeLayerNamespaceRefs().length).toBe(8);
    for (const line of again.images) expect(line).toContain('up to date');
  });
});

describe('a 1.0.0 stack', () => {
  const prefix = `rt${randomBytes(3).toString('hex')}-`;
  const dir = tmpStackDir('rig-test');
  let stack: Stack;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix });
  });
  afterAll(async () => {
    await stackDown(dir, prefix); // no-op when the last test already removed it
  });

  it('comes up healthy under the prefixed real container names, with only the frontend port published', async () => {
    const containers = await projectContainers(stack.project);
    expect(containers.map((c) => c.name).sort()).toEqual(
      ['glowworm-backend', 'glowworm-celery-worker', 'glowworm-frontend', 'glowworm-mysql', 'glowworm-redis'].map(
        (service) => `${prefix}${service}`,
      ),
    );
    for (const c of containers) expect(c.status, c.name).toBe('running');
    for (const service of ['glowworm-mysql', 'glowworm-redis', 'glowworm-backend']) {
      expect(containers.find((c) => c.service === service)?.health).toBe('healthy');
    }
    const ports = await dockerLines(['ps', '--filter', `label=com.docker.compose.project=${stack.project}`, '--format', '{{.Names}} {{.Ports}}']);
    const published = ports.filter((line) => line.includes('->'));
    expect(published).toEqual([expect.stringContaining(`${prefix}glowworm-frontend 0.0.0.0:${stack.frontendPort}->3003/tcp`)]);
  });

  it('writes a 0600 .env whose generated secrets contain / + =', () => {
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    const env = stackEnv(stack);
    for (const key of ['MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD', 'SECRET_KEY']) expect(env[key]).toMatch(/^(?=.*\/)(?=.*\+).*=$/);
    expect(env.FRONTEND_PORT).toBe(String(stack.frontendPort));
  });

  it('has its database at the 1.0.0 Alembic head, seeded', async () => {
    expect(await alembicRevision(stack)).toBe('a1b2c3d4e5f6');
    const counts = await rowCounts(stack);
    expect(counts).toMatchObject({
      users: SEED_COUNTS.users,
      albums: SEED_COUNTS.albums,
      playlists: SEED_COUNTS.playlists,
      images: SEED_COUNTS.images,
      display_devices: SEED_COUNTS.displayDevices,
      device_logs: SEED_COUNTS.deviceLogs,
      system_settings: SEEDED_SETTINGS.length,
    });
    expect(counts.user_logs).toBeUndefined(); // a 1.1.0 table
  });

  it('answers /health inside the network and the seeded settings only to a logged-in admin', async () => {
    const health = await docker(['exec', `${prefix}glowworm-backend`, 'curl', '-fsS', 'http://localhost:8001/health']);
    expect(JSON.parse(health.stdout)).toEqual({ status: 'healthy', version: '0.1.0' });

    const base = `http://127.0.0.1:${stack.frontendPort}`;
    expect((await fetch(`${base}/api/settings`)).status).toBe(401);
    const wrong = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: stack.admin.username, password: 'wrong' }),
    });
    expect(wrong.status).toBe(401);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(stack.admin),
    });
    expect(login.status).toBe(200);
    const token = /glowworm_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(token).toBeTruthy();
    const byCookie = await fetch(`${base}/api/settings`, { headers: { Cookie: `glowworm_session=${token}` } });
    // The real app's shape: wrapped, with its bootstrap settings merged under the database's.
    expect(await byCookie.json()).toEqual({ success: true, settings: expect.objectContaining(expectedSettings()) });
    const byBearer = await fetch(`${base}/api/settings`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await byBearer.json()).toMatchObject({ success: true, settings: expectedSettings() });
  });

  it('down removes the project, including containers and volumes another tool left beside it', async () => {
    // What an upgrade tool may leave: a renamed-aside container and a labelled volume.
    const leftover = `${prefix}glowworm-backend-glowworm-old-1700000000`;
    await dockerLines(['create', '--name', leftover, imageRef('backend', '1.0.0')]);
    const labelledVolume = `${stack.project}-backup-scratch`;
    await dockerLines(['volume', 'create', '--label', `io.glowworm.project=${stack.project}`, labelledVolume]);

    await stackDown(dir);

    expect(await dockerLines(['ps', '-a', '--filter', `name=${prefix}`, '--format', '{{.Names}}'])).toEqual([]);
    expect(await dockerLines(['ps', '-a', '--filter', `label=com.docker.compose.project=${stack.project}`, '-q'])).toEqual([]);
    const volumes = await dockerLines(['volume', 'ls', '--format', '{{.Name}}']);
    expect(volumes.filter((v) => v.startsWith(`${stack.project}_`) || v === labelledVolume)).toEqual([]);
    const networks = await dockerLines(['network', 'ls', '--format', '{{.Name}}']);
    expect(networks.filter((n) => n.startsWith(`${stack.project}_`))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
