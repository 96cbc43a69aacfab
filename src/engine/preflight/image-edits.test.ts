// --to retags where compose reads the image, or refuses before anything changes, naming the file to edit.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject, serviceRoles, type ComposeProject } from '../compose/index.js';
import { failure } from '../compose/fixtures/failure.js';
import { writeTempProject } from '../compose/fixtures/temp-project.js';
import type { ObservedState } from '../plan/observed-state.js';
import { refuseImageMismatch, refuseUneditableImages, retagMainFile } from './image-edits.js';

const MAIN = [
  'services:',
  '  glowworm-backend:',
  '    image: reg/glowworm-backend:1.1.0',
  '  glowworm-frontend:',
  '    image: "reg/glowworm-frontend:1.1.0"',
  '  glowworm-mysql:',
  '    image: mysql:8.0',
  '',
].join('\n');

function observedOf(project: ComposeProject): ObservedState {
  const roles = serviceRoles(project);
  const services = Object.fromEntries(Object.values(project.services).map((s) => [s.name, { name: s.name, role: roles.roles[s.name], compose: s }]));
  return { project, roles, services } as unknown as ObservedState;
}


describe('retagging the GlowWorm images', () => {
  it('retags the main file when it sets every app image, keeping quotes, leaving mysql alone', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': MAIN });
    const observed = observedOf(await loadProject({ projectDir: dir, env: {} }));
    await refuseUneditableImages(observed, '2.0.0');
    expect(retagMainFile(MAIN, observed, '2.0.0')).toBe(MAIN.replace(/1\.1\.0/g, '2.0.0'));
  });

  it('refuses when an override file pins the backend image, naming the file and line', async () => {
    const dir = writeTempProject({
      'docker-compose.yml': MAIN,
      'docker-compose.override.yml': 'services:\n  glowworm-backend:\n    image: reg/glowworm-backend:1.1.0\n',
    });
    const observed = observedOf(await loadProject({ projectDir: dir, env: {} }));
    const error = await failure(refuseUneditableImages(observed, '2.0.0'));
    expect(error).toMatchObject({ kind: 'user', code: 'plan.image-in-override' });
    expect(error.message).toBe(
      `The image of glowworm-backend (reg/glowworm-backend:1.1.0) is set in ${join(dir, 'docker-compose.override.yml')} (line 3), ` +
        `not in ${join(dir, 'docker-compose.yml')}: glowworm retags only docker-compose.yml, so glowworm-backend would stay on ` +
        'reg/glowworm-backend:1.1.0 while the rest goes to :2.0.0. Nothing was changed.',
    );
    expect(error.hint).toContain(`Edit ${join(dir, 'docker-compose.override.yml')}`);
  });

  it('refuses an image whose tag comes from a variable, naming it and the env file', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': MAIN.replace('glowworm-frontend:1.1.0', 'glowworm-frontend:${FRONT_TAG}'), '.env': 'FRONT_TAG=1.1.0\n' });
    const observed = observedOf(await loadProject({ projectDir: dir, env: {} }));
    const error = await failure(refuseUneditableImages(observed, '2.0.0'));
    expect(error).toMatchObject({ code: 'plan.image-from-variable' });
    expect(error.message).toContain(`its value comes from $FRONT_TAG (${join(dir, '.env')}, or the environment)`);
  });

  it('after the edits, refuses a target whose app image is not the one pulled, naming the file that sets it', async () => {
    const dir = writeTempProject({
      'target.yml': MAIN,
      'docker-compose.override.yml': 'services:\n  glowworm-frontend:\n    image: reg/glowworm-frontend:old\n',
    });
    const target = await loadProject({ projectDir: dir, files: [join(dir, 'target.yml'), join(dir, 'docker-compose.override.yml')], env: {} });
    await refuseImageMismatch(target, { 'glowworm-backend': 'reg/glowworm-backend:1.1.0', gone: 'x:1' });
    const error = await failure(refuseImageMismatch(target, { 'glowworm-frontend': 'reg/glowworm-frontend:1.1.0' }));
    expect(error.message).toContain(`${join(dir, 'docker-compose.override.yml')} sets it to "reg/glowworm-frontend:old"`);
  });
});
