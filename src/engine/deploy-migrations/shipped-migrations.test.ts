// The deployment migrations glowworm ships (migrations/001-… to 007-…, GlowWorm's real changes of November 2025),
// loaded the way the runner loads them, applied to a late-October-2025-shaped project with the facts the engine would
// gather, and checked with docker-compose itself where it is installed.
import { execFile } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ComposeDocument } from './compose-edit.js';
import { ENV_SECRETS } from './glowworm-stack.fixture.js';
import { CELERY_APP } from './glowworm-services.js';
import { loadMigrations } from './load-migrations.js';
import { bindMount, makeOctoberProject, octoberCompose, octoberFacts, volumeMount } from './october-2025-stack.fixture.js';
import type { ProjectTexts } from './project-files.js';
import { DeployMigrationRunner } from './runner.js';
import { makeTempProject, snapshot, type TempProject } from './temp-project.fixture.js';
import type { DeploymentFacts } from './types.js';

const run = promisify(execFile);

// The rig installs docker-compose (1.29); without it the checks that need it are reported as skipped.
const dockerComposeInstalled = await run('docker-compose', ['version']).then(() => true, () => false);

type Service = Record<string, unknown> & { environment?: Record<string, unknown> };

/** What docker-compose makes of a compose file of the project: the file with `.env` interpolated. */
async function composeConfig(project: TempProject, composeFile = project.composeFile): Promise<{ services: Record<string, Service>; volumes?: Record<string, unknown> }> {
  const { stdout } = await run('docker-compose', ['--project-directory', project.dir, '-f', composeFile, 'config']);
  return parse(stdout) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
}

const NOVEMBER = ['001-redis-service', '002-backend-celery-settings', '003-celery-worker-service', '004-frontend-backend-url',
  '005-backend-port-unpublished', '006-mysql-init-sql-unmounted'];
const DATA_WHERE_IT_IS = '007-mysql-data-where-it-is';
const REDIS_URL = 'redis://glowworm-redis:6379/0';
const WORKER_COMMAND = 'celery -A celery_app worker --beat --loglevel=info --concurrency=4 --queues=high_priority,normal_priority,low_priority';

async function selected(project: TempProject, facts: DeploymentFacts): Promise<string[]> {
  return (await new DeployMigrationRunner({ composeFile: project.composeFile }).pending(facts)).map((m) => m.name);
}

/** A fresh project (no journal) holding these texts: what needed() alone says about them. */
async function projectWith(texts: ProjectTexts): Promise<TempProject> {
  const project = await makeTempProject();
  await writeFile(project.composeFile, texts.compose);
  await writeFile(project.envFile, texts.env ?? '');
  return project;
}

async function textsOf(project: TempProject): Promise<ProjectTexts> {
  return { compose: await readFile(project.composeFile, 'utf8'), env: await readFile(project.envFile, 'utf8') };
}

describe('the shipped deployment migrations', () => {
  it('are found and validated in migrations/, in order, and ask the target image only whether it ships celery', async () => {
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.name)).toEqual([...NOVEMBER, DATA_WHERE_IT_IS]);
    const project = await makeTempProject();
    expect(await new DeployMigrationRunner({ composeFile: project.composeFile }).imageFiles()).toEqual([CELERY_APP]);
  });
});

describe('the shipped deployment migrations on a late-October 2025 deployment', () => {
  it('select 001–006 in order when the target backend ships celery; 007 not, the database runs on what the file says', async () => {
    const project = await makeOctoberProject();
    const before = await snapshot(project);
    const previews = await new DeployMigrationRunner({ composeFile: project.composeFile }).preview(octoberFacts(project, { celery: true }));
    expect(previews.map((p) => p.name)).toEqual(NOVEMBER);
    const shown = previews.map((p) => p.diff + p.notes.join('\n')).join('\n');
    for (const secret of Object.values(ENV_SECRETS)) expect(shown).not.toContain(secret);
    expect(await snapshot(project)).toEqual(before);
  });

  it('select nothing when the target backend has no celery_app.py: the October release itself', async () => {
    const project = await makeOctoberProject();
    expect(await selected(project, octoberFacts(project, { celery: false }))).toEqual([]);
  });

  it('decide from the facts, never from a tag: the backend on :latest, :test or :2.0.0 selects the same', async () => {
    // DeploymentFacts has no tag or version at all; the only tag is the file's, and changing it changes nothing.
    for (const celery of [true, false]) {
      const selections = [];
      for (const backendTag of ['latest', 'test', '2.0.0']) {
        const project = await makeOctoberProject({ backendTag });
        expect(await readFile(project.composeFile, 'utf8')).toContain(`image: nickstephens/glowworm-backend:${backendTag}\n`);
        selections.push(await selected(project, octoberFacts(project, { celery })));
      }
      expect(selections).toEqual([0, 1, 2].map(() => (celery ? NOVEMBER : [])));
    }
  });

  it('write the November shape, with a receipt comment for each removal and no secret in the compose file', async () => {
    const project = await makeOctoberProject();
    const result = await new DeployMigrationRunner({ composeFile: project.composeFile }).up(octoberFacts(project, { celery: true }));
    expect(result.applied).toEqual(NOVEMBER);
    const text = await readFile(project.composeFile, 'utf8');
    expect(text).toContain('    # removed by glowworm deployment migration 005-backend-port-unpublished: ports: ["${BACKEND_PORT:-8001}:8001"]\n');
    expect(text).toContain(
      '    # removed by glowworm deployment migration 006-mysql-init-sql-unmounted: volumes: ["./docker/mysql/init.sql:/docker-entrypoint-initdb.d/init.sql:ro"]\n',
    );
    for (const secret of Object.values(ENV_SECRETS)) expect(text).not.toContain(secret);
    const tree = parse(text) as { services: Record<string, Service>; volumes: Record<string, unknown> };
    expect(Object.keys(tree.services)).toEqual(['glowworm-mysql', 'glowworm-redis', 'glowworm-backend', 'glowworm-frontend', 'glowworm-celery-worker']);
    expect(tree.services['glowworm-mysql']!['volumes']).toEqual(['./data/mysql:/var/lib/mysql']);
    expect(tree.services['glowworm-backend']!['ports']).toBeUndefined();
    expect(tree.services['glowworm-celery-worker']!['volumes']).toEqual(['./data/uploads:/app/uploads']);
    expect(Object.keys(tree.volumes)).toEqual(['redis_data']);
    // The .env is not touched: every setting the worker needs is already there.
    expect((await readFile(project.envFile)).equals((await snapshot(project)).env)).toBe(true);
    expect(result.notes.map((n) => n.split(':')[0])).toEqual(['005-backend-port-unpublished', '006-mysql-init-sql-unmounted']);
  });

  it.skipIf(!dockerComposeInstalled)('give a file docker-compose accepts: redis, celery on the backend and the worker, the frontend’s URL, MySQL on its data', async () => {
    const project = await makeOctoberProject();
    await new DeployMigrationRunner({ composeFile: project.composeFile }).up(octoberFacts(project, { celery: true }));
    const { services, volumes } = await composeConfig(project);
    expect(Object.keys(services).sort()).toEqual(['glowworm-backend', 'glowworm-celery-worker', 'glowworm-frontend', 'glowworm-mysql', 'glowworm-redis']);
    const healthy = { condition: 'service_healthy' };

    expect(services['glowworm-redis']).toMatchObject({
      image: 'redis:7-alpine',
      container_name: 'glowworm-redis',
      command: 'redis-server --appendonly yes',
      healthcheck: { test: ['CMD', 'redis-cli', 'ping'] },
      volumes: ['redis_data:/data:rw'],
      networks: { 'glowworm-network': null },
    });
    expect(Object.keys(volumes ?? {})).toEqual(['redis_data']);

    const backend = services['glowworm-backend']!;
    expect(backend.environment).toMatchObject({ CELERY_BROKER_URL: REDIS_URL, CELERY_RESULT_BACKEND: REDIS_URL, USE_CELERY: 'true', DOCKER_MODE: 'true' });
    expect(backend['depends_on']).toEqual({ 'glowworm-mysql': healthy, 'glowworm-redis': healthy });
    expect(backend['ports']).toBeUndefined();

    const worker = services['glowworm-celery-worker']!;
    expect(worker).toMatchObject({ image: 'nickstephens/glowworm-backend:latest', container_name: 'glowworm-celery-worker', command: WORKER_COMMAND });
    // Read from .env through references: the secrets reach the worker, and are not written in the compose file.
    expect(worker.environment).toEqual({
      MYSQL_HOST: 'glowworm-mysql',
      MYSQL_PORT: 3306,
      MYSQL_DATABASE: 'glowworm',
      MYSQL_USER: 'glowworm',
      MYSQL_PASSWORD: ENV_SECRETS.MYSQL_PASSWORD,
      SECRET_KEY: ENV_SECRETS.SECRET_KEY,
      UPLOAD_DIRECTORY: 'uploads',
      LOG_LEVEL: 'INFO',
      CELERY_BROKER_URL: REDIS_URL,
      CELERY_RESULT_BACKEND: REDIS_URL,
    });
    expect(worker['volumes']).toEqual([`${project.dir}/data/uploads:/app/uploads:rw`]);
    expect(worker['depends_on']).toEqual({ 'glowworm-mysql': healthy, 'glowworm-redis': healthy });
    // The real worker has no healthcheck of its own (the image's probes the backend's HTTP server).
    expect(worker['healthcheck']).toBeUndefined();
    expect(worker['ports']).toBeUndefined();

    expect(services['glowworm-frontend']!.environment).toEqual({ VITE_BACKEND_URL: 'http://glowworm-backend:8001' });
    expect(services['glowworm-mysql']!['volumes']).toEqual([`${project.dir}/data/mysql:/var/lib/mysql:rw`]);
  });

  it('select nothing more on the result, even with no journal: it is the newest shape', async () => {
    const project = await makeOctoberProject();
    await new DeployMigrationRunner({ composeFile: project.composeFile }).up(octoberFacts(project, { celery: true }));
    const fresh = await projectWith(await textsOf(project));
    expect(await selected(fresh, octoberFacts(fresh, { celery: true }))).toEqual([]);
  });

  it('down() right after puts both files back byte for byte', async () => {
    const project = await makeOctoberProject();
    const before = await snapshot(project);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    await runner.up(octoberFacts(project, { celery: true }));
    expect(await runner.down()).toMatchObject({ method: 'restored-originals', reverted: [...NOVEMBER].reverse() });
    expect(await snapshot(project)).toEqual(before);
  });

  it('down() after the files were edited runs each down(): the port and the init.sql mount come back, what was added goes', async () => {
    const project = await makeOctoberProject();
    const envBefore = await readFile(project.envFile);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    await runner.up(octoberFacts(project, { celery: true }));
    // The user (or the engine) moves the images to the `test` tag after the migrations.
    const retag = (text: string) => {
      const compose = ComposeDocument.parse(text);
      for (const service of ['glowworm-backend', 'glowworm-frontend']) compose.setImageTag(service, 'test');
      return compose.toString();
    };
    await writeFile(project.composeFile, retag(await readFile(project.composeFile, 'utf8')));

    const down = await runner.down();
    expect(down).toMatchObject({ method: 'ran-down-migrations', reverted: [...NOVEMBER].reverse(), notes: [] });
    const text = await readFile(project.composeFile, 'utf8');
    expect(text).not.toContain('glowworm deployment migration');
    const tree = parse(text) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
    expect(Object.keys(tree.services)).toEqual(['glowworm-mysql', 'glowworm-backend', 'glowworm-frontend']);
    expect(tree.services['glowworm-backend']!['ports']).toEqual(['${BACKEND_PORT:-8001}:8001']);
    expect(tree.services['glowworm-mysql']!['volumes']).toEqual([
      './data/mysql:/var/lib/mysql', './docker/mysql/init.sql:/docker-entrypoint-initdb.d/init.sql:ro',
    ]);
    for (const key of ['CELERY_BROKER_URL', 'CELERY_RESULT_BACKEND', 'USE_CELERY', 'DOCKER_MODE']) {
      expect(tree.services['glowworm-backend']!.environment).not.toHaveProperty(key);
    }
    expect(tree.services['glowworm-backend']!['depends_on']).toEqual({ 'glowworm-mysql': { condition: 'service_healthy' } });
    expect(tree.services['glowworm-frontend']!.environment ?? {}).not.toHaveProperty('VITE_BACKEND_URL');
    expect(Object.keys(tree.volumes ?? {})).toEqual([]);
    expect((await readFile(project.envFile)).equals(envBefore)).toBe(true);

    if (dockerComposeInstalled) {
      // What docker-compose runs is the October file on the new tags, exactly.
      const expected = join(project.dir, 'expected.yml');
      await writeFile(expected, retag(octoberCompose()));
      expect(await composeConfig(project)).toEqual(await composeConfig(project, expected));
    }
  });

  it('on the newest fixture, whose backend has no CELERY_* settings, select only 002: each asks about its own part', async () => {
    const project = await makeTempProject();
    expect(await selected(project, { ...octoberFacts(project, { celery: true }), running: {} })).toEqual(['002-backend-celery-settings']);
  });
});

describe('007: the database stays on the data it runs on', () => {
  /** The newest fixture says `mysql_data:/var/lib/mysql`; this is what its running database mounts instead. */
  function runningOn(project: TempProject, mount: DeploymentFacts['running'][string]['mounts'][number], name = 'glowworm'): DeploymentFacts {
    return { targetBackendFiles: { [CELERY_APP]: false }, targetRevisions: [], running: { 'glowworm-mysql': { mounts: [mount] } }, project: { dir: project.dir, name } };
  }

  it('is selected when the database runs on the October bind mount and the file says mysql_data, and mounts ./data/mysql again', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const facts = runningOn(project, bindMount(join(project.dir, 'data/mysql'), '/var/lib/mysql'));
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    expect(await selected(project, facts)).toEqual([DATA_WHERE_IT_IS]);
    const up = await runner.up(facts);
    expect(up.notes).toEqual([expect.stringMatching(new RegExp(`^${DATA_WHERE_IT_IS}: glowworm-mysql runs on ${project.dir}/data/mysql; the file said mysql_data:/var/lib/mysql`))]);
    const text = await readFile(project.composeFile, 'utf8');
    expect(text).toContain(`# removed by glowworm deployment migration ${DATA_WHERE_IT_IS}: volumes: ["mysql_data:/var/lib/mysql"]\n`);
    expect(parse(text).services['glowworm-mysql'].volumes).toEqual(['./data/mysql:/var/lib/mysql']);
    if (dockerComposeInstalled) {
      expect((await composeConfig(project)).services['glowworm-mysql']!['volumes']).toEqual([`${project.dir}/data/mysql:/var/lib/mysql:rw`]);
    }
    expect(await selected(await projectWith(await textsOf(project)), facts)).toEqual([]);

    // Its down() puts mysql_data back (the fast path made impossible by an edit).
    await appendFile(project.composeFile, '# edited\n');
    expect(await runner.down()).toMatchObject({ method: 'ran-down-migrations', reverted: [DATA_WHERE_IT_IS] });
    expect(parse(await readFile(project.composeFile, 'utf8')).services['glowworm-mysql'].volumes).toEqual(['mysql_data:/var/lib/mysql']);
    expect(await readFile(project.composeFile, 'utf8')).not.toContain('glowworm deployment migration');
    expect((await readFile(project.envFile)).equals(before.env)).toBe(true);
  });

  it('is not selected when the database runs on the named volume <project>_mysql_data the file says, or is not running', async () => {
    const project = await makeTempProject();
    expect(await selected(project, runningOn(project, volumeMount('glowworm_mysql_data', '/var/lib/mysql')))).toEqual([]);
    expect(await selected(project, { ...runningOn(project, volumeMount('glowworm_mysql_data', '/var/lib/mysql')), running: {} })).toEqual([]);
  });

  it('read a data mount in the long syntax too: not selected when it is what runs, refused when it is not', async () => {
    const project = await makeTempProject();
    const longSyntax = (source: string) => `      - type: volume\n        source: ${source}\n        target: /var/lib/mysql\n`;
    const newest = await readFile(project.composeFile, 'utf8');
    await writeFile(project.composeFile, newest.replace('      - mysql_data:/var/lib/mysql\n', longSyntax('mysql_data')));
    expect(await selected(project, runningOn(project, volumeMount('glowworm_mysql_data', '/var/lib/mysql')))).toEqual([]);

    // Elsewhere than what runs, in a form glowworm does not rewrite: a second mount on /var/lib/mysql would make the
    // file invalid, dropping it would lose the user's line, so the upgrade stops before writing anything.
    await writeFile(project.composeFile, newest.replace('      - mysql_data:/var/lib/mysql\n', longSyntax('other_data')));
    const before = await snapshot(project);
    const facts = runningOn(project, volumeMount('glowworm_mysql_data', '/var/lib/mysql'));
    await expect(new DeployMigrationRunner({ composeFile: project.composeFile }).up(facts)).rejects.toMatchObject({
      kind: 'user',
      code: 'deploy-migrations.data-mount-long-syntax',
      message: expect.stringContaining('glowworm-mysql mounts /var/lib/mysql in the long syntax'),
      hint: expect.stringContaining('glowworm_mysql_data'),
    });
    expect(await snapshot(project)).toEqual(before);
  });

  it('pins the Docker volume the database runs on when the project name no longer leads to it', async () => {
    // The project directory was renamed: `mysql_data` would now be gw2_mysql_data, an empty volume.
    const project = await makeTempProject();
    const facts = runningOn(project, volumeMount('glowworm_mysql_data', '/var/lib/mysql'), 'gw2');
    expect(await selected(project, facts)).toEqual([DATA_WHERE_IT_IS]);
    await new DeployMigrationRunner({ composeFile: project.composeFile }).up(facts);
    const tree = parse(await readFile(project.composeFile, 'utf8'));
    expect(tree.services['glowworm-mysql'].volumes).toEqual(['glowworm_mysql_data:/var/lib/mysql']);
    expect(tree.volumes.glowworm_mysql_data).toEqual({ external: true, name: 'glowworm_mysql_data' });
    if (dockerComposeInstalled) {
      const { volumes } = await composeConfig(project);
      expect(volumes?.['glowworm_mysql_data']).toEqual({ external: true, name: 'glowworm_mysql_data' });
    }
    expect(await selected(await projectWith(await textsOf(project)), facts)).toEqual([]);
  });
});

describe('the shipped deployment migrations on other shapes', () => {
  it('find a renamed backend by its image and follow its environment form', async () => {
    const project = await makeTempProject();
    await writeFile(project.composeFile, [
      'services:',
      '  db:',
      '    image: mariadb:10.11',
      '  api:',
      '    image: 127.0.0.1:5000/glowworm/glowworm-backend:sha-4f2c',
      '    container_name: gw-api-backend',
      '    environment:',
      '      - MYSQL_HOST=db',
      '      - SECRET_KEY=literal-secret-in-compose',
      '      - UNRELATED=1',
      '',
    ].join('\n'));
    const facts = octoberFacts(project, { celery: true });
    const result = await new DeployMigrationRunner({ composeFile: project.composeFile }).up({ ...facts, running: {} });
    expect(result.applied).toEqual(['001-redis-service', '002-backend-celery-settings', '003-celery-worker-service']);
    const text = await readFile(project.composeFile, 'utf8');
    // A literal secret is never copied: the worker refers to .env, which has SECRET_KEY.
    expect(text.split('literal-secret-in-compose')).toHaveLength(2);
    const tree = parse(text);
    expect(tree.services['glowworm-redis']).toMatchObject({ image: 'redis:7-alpine', container_name: 'gw-api-glowworm-redis' });
    expect(tree.services.api.environment).toEqual([
      'MYSQL_HOST=db', 'SECRET_KEY=literal-secret-in-compose', 'UNRELATED=1',
      `CELERY_BROKER_URL=${REDIS_URL}`, `CELERY_RESULT_BACKEND=${REDIS_URL}`, 'USE_CELERY=${USE_CELERY:-true}', 'DOCKER_MODE=true',
    ]);
    expect(tree.services.api.depends_on).toEqual({ 'glowworm-redis': { condition: 'service_healthy' } });
    expect(tree.services['glowworm-celery-worker']).toEqual({
      image: '127.0.0.1:5000/glowworm/glowworm-backend:sha-4f2c',
      container_name: 'gw-api-glowworm-celery-worker',
      restart: 'unless-stopped',
      command: WORKER_COMMAND,
      environment: ['MYSQL_HOST=db', 'SECRET_KEY=${SECRET_KEY}', `CELERY_BROKER_URL=${REDIS_URL}`, `CELERY_RESULT_BACKEND=${REDIS_URL}`],
      // db has no healthcheck, so waiting for "healthy" would wait forever.
      depends_on: { db: { condition: 'service_started' }, 'glowworm-redis': { condition: 'service_healthy' } },
    });
  });

  it('refuse a compose file without a GlowWorm backend, leaving it untouched', async () => {
    const project = await makeTempProject();
    await writeFile(project.composeFile, 'services:\n  web:\n    image: nginx:1\n');
    const before = await snapshot(project);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    await expect(runner.up(octoberFacts(project, { celery: true }))).rejects.toMatchObject({
      kind: 'user',
      code: 'deploy-migrations.no-backend',
    });
    expect(await snapshot(project)).toEqual(before);
    // Without celery in the target nothing asks for the backend.
    expect(await runner.pending(octoberFacts(project, { celery: false }))).toEqual([]);
  });
});
