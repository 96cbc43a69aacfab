import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failure } from './fixtures/failure.js';
import { writeTempProject } from './fixtures/temp-project.js';
import { loadProject } from './load-project.js';

const GLOWWORM = resolve(import.meta.dirname, 'fixtures/glowworm');


describe('loadProject on a GlowWorm-shaped project', () => {
  it('finds docker-compose.yml and its override, reads .env and names the project after the directory', async () => {
    const project = await loadProject({ projectDir: GLOWWORM, env: {} });
    expect(project.name).toBe('glowworm');
    expect(project.workingDir).toBe(GLOWWORM);
    expect(project.composeFiles).toEqual([join(GLOWWORM, 'docker-compose.yml'), join(GLOWWORM, 'docker-compose.override.yml')]);
    expect(project.envFile).toBe(join(GLOWWORM, '.env'));
    expect(Object.keys(project.services)).toEqual([
      'glowworm-backend',
      'glowworm-celery-worker',
      'glowworm-frontend',
      'glowworm-mysql',
      'glowworm-redis',
    ]);
  });

  it('interpolates .env values verbatim (/ + =), keeps single-quoted ones literal and turns $$ into $', async () => {
    const { services } = await loadProject({ projectDir: GLOWWORM, env: {} });
    expect(services['glowworm-mysql']?.environment).toEqual({
      MYSQL_ROOT_PASSWORD: 'r00t/Pa+ss==',
      MYSQL_DATABASE: 'glowworm',
      MYSQL_USER: 'glowworm',
      MYSQL_PASSWORD: 'app/pw+x=y',
    });
    expect(services['glowworm-mysql']?.healthcheck?.test).toContain('-pr00t/Pa+ss==');
    expect(services['glowworm-backend']?.environment['SECRET_KEY']).toBe('s3cr3t=$NOT_INTERPOLATED');
    expect(services['glowworm-backend']?.environment['PRICE_TEMPLATE']).toBe('$5 per month');
    expect(services['glowworm-backend']?.environment['MYSQL_PORT']).toBe('3306');
  });

  it('lets the process environment win over .env', async () => {
    const { services } = await loadProject({ projectDir: GLOWWORM, env: { MYSQL_PASSWORD: 'from-env', FRONTEND_PORT: '8443' } });
    expect(services['glowworm-backend']?.environment['MYSQL_PASSWORD']).toBe('from-env');
    expect(services['glowworm-frontend']?.ports[0]).toMatchObject({ target: 3003, published: '8443', original: '8443:3003' });
  });

  it('merges the override file by the compose rules', async () => {
    const { services } = await loadProject({ projectDir: GLOWWORM, env: {} });
    const backend = services['glowworm-backend'];
    const frontend = services['glowworm-frontend'];
    expect(backend?.environment['LOG_LEVEL']).toBe('DEBUG');
    expect(backend?.volumes.map((v) => [v.type, v.source, v.target])).toEqual([
      ['bind', join(GLOWWORM, 'data/uploads-override'), '/app/uploads'],
      ['volume', null, '/app/tmp'],
    ]);
    expect(backend?.healthcheck).toEqual({
      disabled: false,
      test: ['CMD', 'curl', '-f', 'http://localhost:8001/api/health'],
      intervalMs: 60_000,
      timeoutMs: 10_000,
      retries: 3,
      startPeriodMs: 40_000,
      startIntervalMs: null,
    });
    expect(frontend?.ports.map((p) => p.original)).toEqual(['3003:3003', '127.0.0.1:8080:3003']);
    expect(frontend?.environment).toEqual({ VITE_BACKEND_URL: 'http://glowworm-backend:8001', EXTRA_FLAG: 'on' });
  });

  it('models names, dependencies, commands, volumes and networks like the real deployment', async () => {
    const project = await loadProject({ projectDir: GLOWWORM, env: {} });
    const { services } = project;
    expect(services['glowworm-mysql']).toMatchObject({
      image: 'mysql:8.0',
      containerName: 'glowworm-mysql',
      restart: 'unless-stopped',
      command: '--default-authentication-plugin=mysql_native_password --skip-log-bin',
      volumes: [{ type: 'volume', source: 'glowworm_mysql_data', volumeKey: 'mysql_data', target: '/var/lib/mysql' }],
      networks: [{ key: 'glowworm-network', name: 'glowworm_glowworm-network', aliases: [] }],
    });
    expect(services['glowworm-backend']?.dependsOn).toEqual([
      { service: 'glowworm-mysql', condition: 'service_healthy', required: true, restart: false, implicit: false },
      { service: 'glowworm-redis', condition: 'service_healthy', required: true, restart: false, implicit: false },
    ]);
    expect(services['glowworm-celery-worker']?.dependsOn.map((d) => [d.service, d.condition])).toEqual([
      ['glowworm-mysql', 'service_started'],
      ['glowworm-redis', 'service_started'],
    ]);
    expect(services['glowworm-celery-worker']?.command).toBe('celery -A celery_app worker --beat --loglevel=INFO');
    expect(project.volumes['mysql_data']?.name).toBe('glowworm_mysql_data');
    expect(Object.keys(project.networks)).toEqual(['glowworm-network']);
  });

  it('fails naming the variable, the file and the key path when a required variable is missing', async () => {
    const dir = writeTempProject({
      'docker-compose.yml': 'services:\n  db:\n    image: mysql:8.0\n    environment:\n      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD:?must be set in .env}\n',
    });
    const error = await failure(loadProject({ projectDir: dir, env: {} }));
    expect(error.code).toBe('compose.variable-required');
    expect(error.message).toBe(
      `Required variable MYSQL_ROOT_PASSWORD is missing a value: must be set in .env ` +
        `(in ${join(dir, 'docker-compose.yml')} at services.db.environment.MYSQL_ROOT_PASSWORD).`,
    );
  });

  it('warns about unset variables without a default, as compose does', async () => {
    const dir = writeTempProject({ 'compose.yaml': 'services:\n  web:\n    image: app\n    environment:\n      SECRET_KEY: ${SECRET_KEY}\n' });
    const project = await loadProject({ projectDir: dir, env: {} });
    expect(project.services['web']?.environment['SECRET_KEY']).toBe('');
    expect(project.unsetVariables).toEqual([
      { name: 'SECRET_KEY', file: join(dir, 'compose.yaml'), path: 'services.web.environment.SECRET_KEY' },
    ]);
    expect(project.warnings).toContain(
      `The "SECRET_KEY" variable is not set. Defaulting to a blank string (${join(dir, 'compose.yaml')} at services.web.environment.SECRET_KEY).`,
    );
  });
});

describe('project name', () => {
  const files = { 'compose.yaml': 'services:\n  web:\n    image: app\n' };

  it('normalises the directory name', async () => {
    const dir = writeTempProject(files, '_My.GlowWorm Install');
    expect((await loadProject({ projectDir: dir, env: {} })).name).toBe('myglowworminstall');
  });

  it('prefers the option, then COMPOSE_PROJECT_NAME (environment, then .env), then name:', async () => {
    const dir = writeTempProject({
      'compose.yaml': 'name: ${NAME_FROM_FILE:-from-file}\nservices:\n  web:\n    image: app\n',
      '.env': 'COMPOSE_PROJECT_NAME=from-dotenv\n',
    });
    expect((await loadProject({ projectDir: dir, env: {}, projectName: 'explicit' })).name).toBe('explicit');
    expect((await loadProject({ projectDir: dir, env: { COMPOSE_PROJECT_NAME: 'from-env' } })).name).toBe('from-env');
    expect((await loadProject({ projectDir: dir, env: {} })).name).toBe('from-dotenv');
    const noDotEnv = writeTempProject({ 'compose.yaml': 'name: ${N:-from-file}\nservices: {}\n' });
    expect((await loadProject({ projectDir: noDotEnv, env: {} })).name).toBe('from-file');
  });

  it('rejects an invalid explicit name clearly', async () => {
    const dir = writeTempProject(files);
    const error = await failure(loadProject({ projectDir: dir, env: { COMPOSE_PROJECT_NAME: 'GlowWorm' } }));
    expect(error.code).toBe('compose.project-name-invalid');
    expect(error.message).toContain('Invalid project name "GlowWorm" (from COMPOSE_PROJECT_NAME)');
    expect(error.hint).toBe('Use "glowworm" instead.');
  });

  it('prefixes volumes and the default network with the project name unless external or named', async () => {
    const dir = writeTempProject({
      'compose.yaml': [
        'name: demo',
        'services:',
        '  web:',
        '    image: app',
        '    volumes: [data:/data, ext:/ext, named:/named, legacy:/legacy]',
        'volumes:',
        '  data: {}',
        '  ext: {external: true}',
        '  named: {name: exact-name}',
        '  legacy: {external: {name: old-style}}',
      ].join('\n'),
    });
    const project = await loadProject({ projectDir: dir, env: {} });
    expect(project.services['web']?.volumes.map((v) => v.source)).toEqual(['demo_data', 'ext', 'exact-name', 'old-style']);
    expect(project.services['web']?.networks).toEqual([
      { key: 'default', name: 'demo_default', aliases: [], ipv4Address: null, ipv6Address: null },
    ]);
    expect(project.networks['default']).toMatchObject({ name: 'demo_default', external: false });
  });
});
