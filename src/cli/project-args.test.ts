// The common project options: docker compose's names, glowworm's older --project-dir, and one resolution for all.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTempProject } from '../engine/compose/fixtures/temp-project.js';
import { commonArgs, parseCommand } from './args.js';
import { resolveProject } from './project-args.js';

const tty = { stdoutIsTTY: false, stdinIsTTY: false };
const args = (argv: string[]) => commonArgs(parseCommand('status', argv, {}).values, tty).project;
const GLOWWORM = 'services:\n  glowworm-backend:\n    image: reg/glowworm-backend:1.1.0\n';

describe('project options', () => {
  it('parses -f (repeatable), -p, --env-file and both names of the project directory', () => {
    expect(args(['-f', 'a.yml', '--file', 'b.yml', '-p', 'demo', '--env-file', 'prod.env', '--project-directory', '/srv/gw'])).toEqual({
      projectDirectory: '/srv/gw', files: ['a.yml', 'b.yml'], projectName: 'demo', envFile: 'prod.env',
    });
    expect(args(['--project-dir', '/srv/gw']).projectDirectory).toBe('/srv/gw');
    // Nothing given: compose decides (the first -f file's directory, else the current one), not glowworm's cwd.
    expect(args([])).toEqual({ projectDirectory: null, files: [], projectName: null, envFile: null });
  });

  it('refuses two different project directories and more than one env file', () => {
    expect(() => args(['--project-dir', '/a', '--project-directory', '/b'])).toThrow(/name two directories/);
    expect(() => args(['--env-file', 'a', '--env-file', 'b'])).toThrow(/one --env-file/);
  });

  it('resolves to absolute files, the project directory, the name and the env file the engine loads again', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': GLOWWORM, 'docker-compose.override.yml': 'services: {}\n', '.env': 'A=1\n' }, 'a');
    expect(await resolveProject({ projectDirectory: null, files: [], projectName: null, envFile: null }, dir)).toEqual({
      projectDir: dir,
      files: [join(dir, 'docker-compose.yml'), join(dir, 'docker-compose.override.yml')],
      projectName: 'a',
      envFile: join(dir, '.env'),
    });
    const fromRoot = await resolveProject({ projectDirectory: null, files: [join(dir, 'docker-compose.yml')], projectName: 'other', envFile: null }, '/');
    expect(fromRoot).toMatchObject({ projectDir: dir, projectName: 'other', files: [join(dir, 'docker-compose.yml')] });
  });

  it('a missing directory is a usage error and stays missing', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': GLOWWORM });
    await expect(resolveProject({ projectDirectory: join(dir, 'typo'), files: [], projectName: null, envFile: null })).rejects.toMatchObject({ kind: 'user' });
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });
});
