// After glowworm upgrades a project, docker-compose (Debian's 1.29, which made the rig's stacks) counts every container
// glowworm created or recreated as its own and up to date: `docker-compose up -d` recreates none of them and does not
// crash on a missing label. And a recreated container is what the target compose file says, not a copy of the old
// one: a healthcheck and a volume the user changed in the file are on the new container.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, docker, publishRelease, stackDown, stackUp, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const prefix = () => `r${randomBytes(3).toString('hex')}-`;

async function inspect<T>(container: string, format: string): Promise<T> {
  return JSON.parse((await docker(['inspect', '--format', `{{json ${format}}}`, container])).stdout) as T;
}

async function ids(stack: Stack): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [service, name] of Object.entries(stack.containers)) out[service] = await inspect<string>(name, '.Id');
  return out;
}

/** `docker-compose up -d` in the project: its output names what it created or recreated. */
async function composeUp(dir: string): Promise<{ code: number | null; output: string }> {
  const result = await compose(dir, ['up', '-d']);
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

const COMPOSE_LABELS = ['project', 'service', 'oneoff', 'container-number', 'version', 'config-hash', 'project.working_dir', 'project.config_files'];

describe('a rig 1.0.0 stack whose compose file the user changed, upgraded to 1.1.0', () => {
  const dir = tmpStackDir('compose-recognises');
  let stack: Stack;
  let run: CliRun;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: prefix() });
    // The user's own edit, before the upgrade: a slower healthcheck and a read-only extra mount for the backend.
    const file = join(dir, 'docker-compose.yml');
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf('  glowworm-backend:');
    const end = text.indexOf('\n  glowworm-', start + 1);
    const backend = text.slice(start, end)
      .replace('      interval: 2s\n', '      interval: 3s\n')
      .replace('      - ./data/uploads:/app/uploads\n', '      - ./data/uploads:/app/uploads\n      - ./data/extra:/app/extra:ro\n');
    expect(backend).toContain('/app/extra');
    writeFileSync(file, text.slice(0, start) + backend + text.slice(end));
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('puts the changed healthcheck and the new volume on the recreated backend', async () => {
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    const backend = stack.containers['glowworm-backend']!;
    expect(await inspect<string>(backend, '.Config.Image')).toContain('backend:1.1.0');
    expect(await inspect<{ Interval: number }>(backend, '.Config.Healthcheck')).toMatchObject({ Interval: 3_000_000_000 });
    const mounts = await inspect<{ Source: string; Destination: string; RW: boolean }[]>(backend, '.Mounts');
    expect(mounts).toContainEqual(expect.objectContaining({ Source: join(dir, 'data', 'extra'), Destination: '/app/extra', RW: false }));
  });

  it('carries compose\'s labels in the dialect of the compose that made the project', async () => {
    for (const service of ['glowworm-backend', 'glowworm-frontend', 'glowworm-celery-worker'] as const) {
      const labels = await inspect<Record<string, string>>(stack.containers[service]!, '.Config.Labels');
      for (const key of COMPOSE_LABELS) expect(labels[`com.docker.compose.${key}`], `${service} ${key}`).toBeTruthy();
      expect(labels['com.docker.compose.version']).toBe('1.29.2');
      expect(labels['com.docker.compose.project.config_files']).toBe(join(dir, 'docker-compose.yml'));
    }
  });

  it('docker-compose up -d afterwards finds every container up to date and recreates none', async () => {
    const before = await ids(stack);
    const up = await composeUp(dir);
    expect(up.code, up.output).toBe(0);
    expect(up.output).not.toMatch(/Recreating|Creating|Traceback|ERROR/);
    for (const name of Object.values(stack.containers)) expect(up.output).toContain(`${name} is up-to-date`);
    expect(await ids(stack)).toEqual(before);
  });
});

describe('late-October 2025 → the celery generation: redis and the worker created, the database server recreated by glowworm', () => {
  const dir = tmpStackDir('compose-recognises-real');
  let stack: Stack;
  let run: CliRun;
  let dbBefore: string;

  beforeAll(async () => {
    stack = await stackUp({ release: 'oct-2025', dir, prefix: prefix() });
    dbBefore = await inspect<string>(stack.containers['glowworm-mysql']!, '.Id');
    await publishRelease('nov-2025', { namespace: stack.namespace, tag: 'test' });
    run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', 'test', '--yes', '--json']);
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('recreates the database server from the file (its init.sql mount gone) on the same data, and says why', async () => {
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    const plan = eventsOf(run, 'plan.ready')[0]!.plan;
    expect(plan.operations).toContainEqual(expect.objectContaining({ kind: 'recreate-database', service: 'glowworm-mysql', cause: 'the compose file changes the database server: volumes' }));
    expect(plan.warnings.filter((w) => w.includes('glowworm-mysql'))).toEqual([]);
    const db = stack.containers['glowworm-mysql']!;
    expect(await inspect<string>(db, '.Id')).not.toBe(dbBefore);
    const mounts = await inspect<{ Source: string; Destination: string }[]>(db, '.Mounts');
    expect(mounts.map((m) => m.Destination).sort()).toEqual(['/var/lib/mysql']);
    expect(mounts[0]!.Source).toBe(join(dir, 'data', 'mysql'));
    // The old server is gone after the commit; nothing is left aside.
    expect((await docker(['ps', '-a', '--filter', `name=^${db}-glowworm-`, '--format', '{{.Names}}'])).stdout.trim()).toBe('');
  });

  it('docker-compose up -d afterwards neither crashes nor recreates anything, the database included', async () => {
    const name = (service: string) => `${stack.prefix}${service}`;
    const services = ['glowworm-mysql', 'glowworm-redis', 'glowworm-backend', 'glowworm-frontend', 'glowworm-celery-worker'];
    const before: Record<string, string> = {};
    for (const service of services) before[service] = await inspect<string>(name(service), '.Id');

    const up = await composeUp(dir);
    expect(up.code, up.output).toBe(0);
    expect(up.output).not.toMatch(/Recreating|Creating|Traceback|has no attribute|ERROR/);
    for (const service of services) {
      expect(up.output).toContain(`${name(service)} is up-to-date`);
      expect(await inspect<string>(name(service), '.Id'), service).toBe(before[service]);
    }
  });
});
