// docker compose's rules for finding the project (compose-go cli/options.go, loader/loader.go), on real files.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failure } from './fixtures/failure.js';
import { writeTempProject } from './fixtures/temp-project.js';
import { foreignProjectWarnings } from './foreign-project.js';
import { requireGlowwormServices } from './glowworm-project.js';
import { imageSettings, variablesIn } from './image-source.js';
import { loadProject } from './load-project.js';
import { matchContainers } from './match-containers.js';


const BACKEND = 'services:\n  glowworm-backend:\n    image: reg/glowworm-backend:1.1.0\n';

describe('the project directory', () => {
  it('refuses a --project-directory that does not exist, even when a parent holds a compose file, and creates nothing', async () => {
    const parent = writeTempProject({ 'docker-compose.yml': BACKEND });
    const missing = join(parent, 'typo');
    const error = await failure(loadProject({ projectDir: missing, env: {} }));
    expect(error).toMatchObject({ kind: 'user', code: 'compose.project-dir-missing' });
    expect(error.message).toBe(`The project directory ${missing} does not exist.`);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses a --project-directory that is a file', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': BACKEND });
    const error = await failure(loadProject({ projectDir: join(dir, 'docker-compose.yml'), env: {} }));
    expect(error.message).toContain('is not a directory');
  });

  it('is the first -f file\'s directory, wherever glowworm runs: -f /srv/a/docker-compose.yml from / names the project a', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': BACKEND, '.env': 'TAG=x\n' }, 'a');
    const project = await loadProject({ cwd: '/', files: [join(dir, 'docker-compose.yml')], env: {} });
    expect(project).toMatchObject({ name: 'a', workingDir: dir, envFile: join(dir, '.env') });
  });

  it('reads the found project directory\'s .env after a search from a subdirectory, below the first one', async () => {
    const dir = writeTempProject({
      'docker-compose.yml': 'services:\n  web:\n    image: app:${TAG}\n    environment:\n      A: ${A}\n',
      '.env': 'TAG=from-project\nA=project\n',
      'sub/.env': 'A=from-sub\n',
      'other/keep': '',
    });
    const fromOther = await loadProject({ cwd: join(dir, 'other'), env: {} });
    expect(fromOther.envFile).toBe(join(dir, '.env'));
    expect(fromOther.services['web']).toMatchObject({ image: 'app:from-project' });
    // compose loads the current directory's .env first; Mapping.Merge never overwrites, so it wins where both set.
    const fromSub = await loadProject({ cwd: join(dir, 'sub'), env: {} });
    expect(fromSub.services['web']?.environment['A']).toBe('from-sub');
    expect(fromSub.services['web']?.image).toBe('app:from-project');
  });

  it('takes COMPOSE_FILE with COMPOSE_PATH_SEPARATOR and adds no override file to it', async () => {
    const dir = writeTempProject({
      'base.yml': BACKEND,
      'pin.yml': 'services:\n  glowworm-backend:\n    image: reg/glowworm-backend:pinned\n',
      'docker-compose.override.yml': 'services:\n  glowworm-backend:\n    image: never\n',
      '.env': 'COMPOSE_FILE=base.yml;pin.yml\nCOMPOSE_PATH_SEPARATOR=;\n',
    });
    const project = await loadProject({ projectDir: dir, env: {} });
    expect(project.composeFiles).toEqual([join(dir, 'base.yml'), join(dir, 'pin.yml')]);
    expect(project.services['glowworm-backend']?.image).toBe('reg/glowworm-backend:pinned');
  });

  it('skips the default .env when COMPOSE_DISABLE_ENV_FILE is true, and an explicit --env-file must exist', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': BACKEND, '.env': 'X=1\n' });
    expect((await loadProject({ projectDir: dir, env: { COMPOSE_DISABLE_ENV_FILE: 'true' } })).envFile).toBeNull();
    const error = await failure(loadProject({ projectDir: dir, env: {}, envFile: join(dir, 'prod.env') }));
    expect(error.code).toBe('compose.env-file-missing');
  });
});

describe('the project name', () => {
  it('normalises a top-level name: as compose-go does (it is not rejected), the last file setting it winning', async () => {
    const dir = writeTempProject({ 'a.yml': `name: First\n${BACKEND}`, 'b.yml': 'name: My.Glow_Worm\n' });
    const project = await loadProject({ projectDir: dir, files: [join(dir, 'a.yml'), join(dir, 'b.yml')], env: {} });
    expect(project.name).toBe('myglow_worm');
  });

  it('refuses an invalid -p as compose does, naming the option', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': BACKEND });
    const error = await failure(loadProject({ projectDir: dir, env: {}, projectName: 'My App' }));
    expect(error.message).toContain('Invalid project name "My App" (from -p/--project-name)');
    expect(error.hint).toBe('Use "myapp" instead.');
  });
});

describe('unset variables', () => {
  it('warn once per variable, as compose words it, with the first use and how many more', async () => {
    const dir = writeTempProject({
      'docker-compose.yml': 'services:\n  db:\n    image: mysql:8.0\n    environment:\n      MYSQL_PASSWORD: ${MYSQL_PASSWORD}\n  web:\n    image: app\n    environment:\n      DB_PASSWORD: $MYSQL_PASSWORD\n      PORT: ${PORT:-3003}\n',
    });
    const project = await loadProject({ projectDir: dir, env: {} });
    expect(project.warnings).toEqual([
      `The "MYSQL_PASSWORD" variable is not set. Defaulting to a blank string (${join(dir, 'docker-compose.yml')} at services.db.environment.MYSQL_PASSWORD, and 1 more use).`,
    ]);
  });
});

describe('where an image is set', () => {
  it('names the override file that pins it, with its line, and the variables a written image reads', async () => {
    const dir = writeTempProject({
      'docker-compose.yml': `${BACKEND}  glowworm-frontend:\n    image: reg/glowworm-frontend:\${FRONT_TAG:-test}\n`,
      'docker-compose.override.yml': 'services:\n  glowworm-backend:\n    restart: always\n    image: reg/glowworm-backend:1.1.0\n',
    });
    const project = await loadProject({ projectDir: dir, env: {} });
    const settings = await imageSettings(project.composeFiles);
    expect(settings['glowworm-backend']).toEqual({
      file: join(dir, 'docker-compose.override.yml'), fileIndex: 1, written: 'reg/glowworm-backend:1.1.0', variables: [], line: 4,
    });
    expect(settings['glowworm-frontend']).toMatchObject({ fileIndex: 0, variables: ['FRONT_TAG'], line: 5 });
    expect(variablesIn('a:$$literal')).toEqual([]);
  });
});

describe('a project without GlowWorm', () => {
  it('is refused as bad input, naming what it holds', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx:1\n' }, 'site');
    const project = await loadProject({ projectDir: dir, env: {} });
    let error: unknown;
    try {
      requireGlowwormServices(project);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: 'user', code: 'compose.not-glowworm' });
    expect((error as Error).message).toContain('has no GlowWorm services: web (nginx:1) is neither a GlowWorm backend nor frontend');
    expect(() => requireGlowwormServices({ name: 'x', composeFiles: [], services: {} })).toThrow(/defines no services/);
  });
});

describe('containers started under another project name', () => {
  it('are found by container_name and named, with the -p that finds them by label', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': 'services:\n  glowworm-backend:\n    image: b\n    container_name: p-backend\n' }, 'copy');
    const project = await loadProject({ projectDir: dir, env: {} });
    const labels = { 'com.docker.compose.project': 'original', 'com.docker.compose.service': 'glowworm-backend' };
    const summary = { id: '1', name: '/p-backend', image: 'b', state: 'running', labels } as never;
    expect(foreignProjectWarnings(project, matchContainers(project, [summary]))).toEqual([
      'p-backend was started as compose project "original", not "copy": pass -p original (or set COMPOSE_PROJECT_NAME=original) so glowworm and compose agree on the project.',
    ]);
    const renamed = await loadProject({ projectDir: dir, env: {}, projectName: 'original' });
    expect(foreignProjectWarnings(renamed, matchContainers(renamed, [summary]))).toEqual([]);
  });
});

describe('nothing is created by a failed resolution', () => {
  it('leaves the temp root as it was', async () => {
    const root = mkdtempSync(join(tmpdir(), 'glowworm-none-'));
    await failure(loadProject({ projectDir: join(root, 'x'), env: {} }));
    expect(existsSync(join(root, 'x'))).toBe(false);
  });
});
