// The two migrations GlowWorm 2.0.0 needs (migrations/001-…, 002-…), loaded the way the runner loads them, applied
// to GlowWorm-shaped projects, and checked with docker-compose itself where it is installed.
import { execFile } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvFile } from './env-edit.js';
import { ENV_SECRETS } from './glowworm-stack.fixture.js';
import { loadMigrations } from './load-migrations.js';
import { DeployMigrationRunner } from './runner.js';
import { makeTempProject, snapshot, type TempProject } from './temp-project.fixture.js';

const run = promisify(execFile);

// The rig installs docker-compose (1.29); without it the one check that needs it is reported as skipped.
const dockerComposeInstalled = await run('docker-compose', ['version']).then(() => true, () => false);

/** What docker-compose makes of the project: the file with `.env` interpolated. */
async function composeConfig(project: TempProject): Promise<{ services: Record<string, Record<string, unknown>> }> {
  const { stdout } = await run('docker-compose', ['--project-directory', project.dir, '-f', project.composeFile, 'config']);
  return parse(stdout) as { services: Record<string, Record<string, unknown>> };
}

describe('shipped deployment migrations for 2.0.0', () => {
  it('are found and validated in migrations/', async () => {
    const migrations = await loadMigrations();
    expect(migrations.map((m) => [m.name, m.version])).toEqual([
      ['001-2.0.0-display-signing-key', '2.0.0'],
      ['002-2.0.0-scheduler-service', '2.0.0'],
    ]);
  });

  it.skipIf(!dockerComposeInstalled)('give a file docker-compose accepts, with the secret in .env only', async () => {
    const project = await makeTempProject({ containerPrefix: 't1-' });
    await new DeployMigrationRunner({ composeFile: project.composeFile }).up('2.0.0');
    const secret = EnvFile.parse(await readFile(project.envFile, 'utf8')).get('DISPLAY_SIGNING_KEY')!;
    const composeText = await readFile(project.composeFile, 'utf8');
    for (const value of [secret, ...Object.values(ENV_SECRETS)]) expect(composeText).not.toContain(value);

    const { services } = await composeConfig(project);
    const backend = services['glowworm-backend']!;
    const scheduler = services['glowworm-scheduler']!;
    expect((backend['environment'] as Record<string, string>)['DISPLAY_SIGNING_KEY']).toBe(secret);
    // The worker runs the backend's code from the same image: it gets the key too.
    expect((services['glowworm-celery-worker']!['environment'] as Record<string, string>)['DISPLAY_SIGNING_KEY']).toBe(secret);
    expect(scheduler).toMatchObject({
      image: 'nickstephens/glowworm-backend:test',
      container_name: 't1-glowworm-scheduler',
      command: 'celery -A celery_app beat --loglevel=info',
      restart: 'unless-stopped',
      depends_on: { 'glowworm-mysql': { condition: 'service_healthy' }, 'glowworm-redis': { condition: 'service_healthy' } },
      networks: { 'glowworm-network': null },
      environment: {
        MYSQL_HOST: 'glowworm-mysql',
        MYSQL_PORT: 3306,
        MYSQL_DATABASE: 'glowworm',
        MYSQL_USER: 'glowworm',
        MYSQL_PASSWORD: ENV_SECRETS.MYSQL_PASSWORD,
        REDIS_URL: 'redis://glowworm-redis:6379/0',
        SECRET_KEY: ENV_SECRETS.SECRET_KEY,
        LOG_LEVEL: 'INFO',
        DISPLAY_SIGNING_KEY: secret,
      },
    });
  });

  it('find a renamed backend by its image and follow its environment form', async () => {
    const project = await makeTempProject();
    await writeFile(project.composeFile, [
      'services:',
      '  db:',
      '    image: mariadb:10.11',
      '  api:',
      '    image: 127.0.0.1:5000/glowworm/glowworm-backend:1.1.0',
      '    container_name: gw-api-backend',
      '    environment:',
      '      - MYSQL_HOST=db',
      '      - SECRET_KEY=literal-secret-in-compose',
      '      - UNRELATED=1',
      '',
    ].join('\n'));
    await new DeployMigrationRunner({ composeFile: project.composeFile }).up('2.0.0');
    const tree = parse(await readFile(project.composeFile, 'utf8'));
    expect(tree.services.api.environment).toContain('DISPLAY_SIGNING_KEY=${DISPLAY_SIGNING_KEY}');
    expect(tree.services['glowworm-scheduler']).toEqual({
      image: '127.0.0.1:5000/glowworm/glowworm-backend:1.1.0',
      container_name: 'gw-api-glowworm-scheduler',
      command: 'celery -A celery_app beat --loglevel=info',
      restart: 'unless-stopped',
      // A literal secret is never copied: the scheduler refers to .env, which has SECRET_KEY.
      environment: ['MYSQL_HOST=db', 'SECRET_KEY=${SECRET_KEY}', 'DISPLAY_SIGNING_KEY=${DISPLAY_SIGNING_KEY}'],
      // db has no healthcheck, so waiting for "healthy" would wait forever; there is no Redis service.
      depends_on: { db: { condition: 'service_started' } },
    });
  });

  it('keep what the user already has, and leave it in place on the way down', async () => {
    const project = await makeTempProject({ env: 'DISPLAY_SIGNING_KEY=mine\n' });
    const compose = await readFile(project.composeFile, 'utf8');
    await writeFile(project.composeFile, compose.replace('\nvolumes:', '  glowworm-scheduler:\n    image: custom:1\n\nvolumes:'));
    const before = await snapshot(project);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    const up = await runner.up('2.0.0');
    expect(up.notes).toEqual([
      '001-2.0.0-display-signing-key: .env already sets DISPLAY_SIGNING_KEY; it is kept as it is.',
      '002-2.0.0-scheduler-service: The compose file already has a glowworm-scheduler service; it is kept as it is.',
    ]);
    expect((await readFile(project.envFile)).equals(before.env)).toBe(true);
    // Make the fast path impossible so each down() runs and must spare what it did not add.
    await writeFile(project.composeFile, (await readFile(project.composeFile, 'utf8')) + '# edited\n');
    const down = await runner.down();
    expect(down.method).toBe('ran-down-migrations');
    expect(down.notes).toEqual([
      '002-2.0.0-scheduler-service: glowworm-scheduler was not added by this migration (no "added by" comment); it is left in place.',
    ]);
    expect(await readFile(project.composeFile, 'utf8')).toBe(before.compose.toString() + '# edited\n');
    expect((await readFile(project.envFile)).equals(before.env)).toBe(true);
  });

  it('create a 0600 .env when there is none, and remove it again on the way down', async () => {
    const project = await makeTempProject();
    await rm(project.envFile);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    await runner.up('2.0.0');
    expect((await stat(project.envFile)).mode & 0o777).toBe(0o600);
    expect(await runner.down()).toMatchObject({ method: 'restored-originals' });
    await expect(stat(project.envFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuse a compose file without a GlowWorm backend, leaving it untouched', async () => {
    const project = await makeTempProject();
    await writeFile(project.composeFile, 'services:\n  web:\n    image: nginx:1\n');
    const before = await snapshot(project);
    await expect(new DeployMigrationRunner({ composeFile: project.composeFile }).up('2.0.0')).rejects.toMatchObject({
      kind: 'user',
      code: 'deploy-migrations.no-backend',
      message: expect.stringContaining('were put back as they were'),
    });
    expect(await snapshot(project)).toEqual(before);
  });
});

describe('shipped deployment migrations against the test rig', () => {
  it('turn the rig’s 1.1.0 compose file into its 2.0.0 one, but for the image tags the engine sets', async () => {
    const { composeFileText } = await import('../../../test/rig/compose-file.js');
    const project = await makeTempProject();
    await writeFile(project.composeFile, composeFileText('1.1.0', 't1-'));
    await new DeployMigrationRunner({ composeFile: project.composeFile }).up('2.0.0');
    const migrated = parse(await readFile(project.composeFile, 'utf8'));
    const expected = parse(composeFileText('2.0.0', 't1-'));
    // The engine, not a deployment migration, moves the images to the new tag.
    for (const service of Object.values(migrated.services) as { image: string }[]) service.image = service.image.replace(/:1\.1\.0$/, ':2.0.0');
    expect(migrated).toEqual(expected);
  });
});
