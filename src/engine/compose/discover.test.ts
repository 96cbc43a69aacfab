import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTempProject } from './fixtures/temp-project.js';
import { loadProject } from './load-project.js';

const svc = (image: string) => `services:\n  web:\n    image: ${image}\n`;

describe('compose file discovery', () => {
  it('prefers compose.yaml over the other default names, and adds the override beside it', async () => {
    const dir = writeTempProject({
      'docker-compose.yml': svc('old'),
      'compose.yaml': svc('new'),
      'compose.override.yml': 'services:\n  web:\n    restart: always\n',
      'docker-compose.override.yml': 'services:\n  web:\n    restart: never-used\n',
    });
    const project = await loadProject({ projectDir: dir, env: {} });
    expect(project.composeFiles).toEqual([join(dir, 'compose.yaml'), join(dir, 'compose.override.yml')]);
    expect(project.services['web']).toMatchObject({ image: 'new', restart: 'always' });
  });

  it('searches parent directories from cwd, and takes the project directory from the file found', async () => {
    const dir = writeTempProject({ 'docker-compose.yaml': svc('app'), 'deep/er/keep.txt': '' });
    const project = await loadProject({ cwd: join(dir, 'deep/er'), env: {} });
    expect(project.composeFiles).toEqual([join(dir, 'docker-compose.yaml')]);
    expect(project.workingDir).toBe(dir);
    expect(project.name).toBe('project');
  });

  it('uses explicit files relative to cwd, later ones overriding earlier ones, and ignores the override file', async () => {
    const dir = writeTempProject({
      'base/compose.yml': svc('base'),
      'base/compose.override.yml': 'services:\n  web:\n    restart: ignored\n',
      'prod.yml': 'services:\n  web:\n    image: prod\n',
      'base/.env': 'FROM_BASE_DIR=yes\n',
    });
    const project = await loadProject({ cwd: dir, files: ['base/compose.yml', 'prod.yml'], env: {} });
    expect(project.composeFiles).toEqual([join(dir, 'base/compose.yml'), join(dir, 'prod.yml')]);
    expect(project.workingDir).toBe(join(dir, 'base'));
    expect(project.envFile).toBe(join(dir, 'base/.env'));
    expect(project.services['web']).toMatchObject({ image: 'prod', restart: null });
  });

  it('reads COMPOSE_FILE from .env, split by COMPOSE_PATH_SEPARATOR', async () => {
    const dir = writeTempProject({
      'a.yml': svc('a'),
      'b.yml': 'services:\n  web:\n    image: b\n',
      '.env': 'COMPOSE_FILE=a.yml;b.yml\nCOMPOSE_PATH_SEPARATOR=;\n',
      'docker-compose.yml': svc('default-not-used'),
    });
    const project = await loadProject({ projectDir: dir, env: {} });
    expect(project.composeFiles).toEqual([join(dir, 'a.yml'), join(dir, 'b.yml')]);
    expect(project.services['web']?.image).toBe('b');
  });

  it('lets COMPOSE_FILE from the environment win over .env, default separator ":"', async () => {
    const dir = writeTempProject({ 'a.yml': svc('a'), 'c.yml': svc('c'), '.env': 'COMPOSE_FILE=a.yml\n' });
    const project = await loadProject({ projectDir: dir, env: { COMPOSE_FILE: 'a.yml:c.yml' } });
    expect(project.services['web']?.image).toBe('c');
  });

  it('reads an explicit env file instead of the project .env', async () => {
    const dir = writeTempProject({
      'compose.yaml': 'services:\n  web:\n    image: app:${TAG}\n',
      '.env': 'TAG=from-dotenv\n',
      'other.env': 'TAG=from-other\n',
    });
    const project = await loadProject({ projectDir: dir, cwd: dir, envFile: 'other.env', env: {} });
    expect(project.services['web']?.image).toBe('app:from-other');
    await expect(loadProject({ projectDir: dir, cwd: dir, envFile: 'missing.env', env: {} })).rejects.toThrow(
      `Env file not found: ${join(dir, 'missing.env')}.`,
    );
  });

  it('fails clearly when no compose file exists, or a named one is missing', async () => {
    const empty = writeTempProject({ 'README.md': 'nothing here' });
    await expect(loadProject({ projectDir: empty, env: {} })).rejects.toThrow(
      `No compose file found in ${empty} or any parent directory (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml).`,
    );
    await expect(loadProject({ projectDir: empty, env: { COMPOSE_FILE: 'gone.yml' } })).rejects.toThrow(
      `Compose file not found: ${join(empty, 'gone.yml')} (listed in COMPOSE_FILE).`,
    );
    await expect(loadProject({ cwd: empty, files: ['nope.yml'], env: {} })).rejects.toThrow(
      `Compose file not found: ${join(empty, 'nope.yml')}.`,
    );
  });
});
