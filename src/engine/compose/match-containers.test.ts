import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../docker/port.js';
import { loadProject } from './load-project.js';
import { defaultContainerNames, matchContainers } from './match-containers.js';
import type { ComposeProject } from './model.js';

let project: ComposeProject;
beforeAll(async () => {
  project = await loadProject({ projectDir: resolve(import.meta.dirname, 'fixtures/glowworm'), env: {} });
});

function container(name: string, labels: Record<string, string> = {}): ContainerSummary {
  return { id: `id-${name}`, name, image: 'img', imageId: 'sha256:0', state: 'running', labels };
}
// What compose v2 and v1 put on the containers they create.
const v2 = (service: string, extra: Record<string, string> = {}) => ({
  'com.docker.compose.project': 'glowworm',
  'com.docker.compose.service': service,
  'com.docker.compose.version': '2.24.6',
  'com.docker.compose.oneoff': 'False',
  'com.docker.compose.container-number': '1',
  ...extra,
});
const v1 = (service: string) => ({
  'com.docker.compose.project': 'glowworm',
  'com.docker.compose.service': service,
  'com.docker.compose.version': '1.29.2',
  'com.docker.compose.oneoff': 'False',
  'com.docker.compose.container-number': '1',
});

describe('matchContainers', () => {
  it('matches compose v2 and v1 labelled containers to their services', () => {
    const result = matchContainers(project, [
      container('glowworm-backend', v2('glowworm-backend')),
      container('glowworm-mysql', v1('glowworm-mysql')),
    ]);
    expect(result.services['glowworm-backend']).toEqual([
      { container: container('glowworm-backend', v2('glowworm-backend')), matchedBy: 'labels', project: 'glowworm', composeGeneration: 'v2', number: 1 },
    ]);
    expect(result.services['glowworm-mysql']?.[0]).toMatchObject({ matchedBy: 'labels', composeGeneration: 'v1' });
    expect(result.services['glowworm-frontend']).toEqual([]);
  });

  it('falls back to container_name for containers without our labels (e.g. another project name)', () => {
    const moved = container('/glowworm-frontend', { 'com.docker.compose.project': 'old-dir', 'com.docker.compose.service': 'glowworm-frontend' });
    const unlabelled = container('glowworm-redis');
    const result = matchContainers(project, [moved, unlabelled]);
    expect(result.services['glowworm-frontend']).toEqual([
      { container: moved, matchedBy: 'container_name', project: 'old-dir', composeGeneration: null, number: null },
    ]);
    expect(result.services['glowworm-redis']?.[0]).toMatchObject({ matchedBy: 'container_name', project: null });
    expect(result.orphans).toEqual([]);
  });

  it('reports labelled containers of services no longer in the file as orphans', () => {
    const beat = container('glowworm-celery-beat', v2('glowworm-celery-beat'));
    const result = matchContainers(project, [beat, container('glowworm-backend', v2('glowworm-backend'))]);
    expect(result.orphans).toEqual([{ container: beat, service: 'glowworm-celery-beat' }]);
  });

  it('excludes one-off containers and ignores other projects', () => {
    const oneOff = container('glowworm-glowworm-backend-run-1a2b', v2('glowworm-backend', { 'com.docker.compose.oneoff': 'True' }));
    const stranger = container('other-web-1', { ...v2('web'), 'com.docker.compose.project': 'other' });
    const result = matchContainers(project, [oneOff, stranger]);
    expect(result.oneOffs).toEqual([oneOff]);
    expect(result.services['glowworm-backend']).toEqual([]);
    expect(result.orphans).toEqual([]);
  });

  it('orders several containers of a service by container number', () => {
    const second = container('glowworm-worker-2', v2('glowworm-celery-worker', { 'com.docker.compose.container-number': '2' }));
    const first = container('glowworm-worker-1', v2('glowworm-celery-worker'));
    const result = matchContainers(project, [second, first]);
    expect(result.services['glowworm-celery-worker']?.map((m) => m.container.name)).toEqual(['glowworm-worker-1', 'glowworm-worker-2']);
  });
});

describe('defaultContainerNames', () => {
  it('gives the compose v2 and v1 names', () => {
    expect(defaultContainerNames({ name: 'glowworm' }, 'glowworm-backend')).toEqual({
      v2: 'glowworm-glowworm-backend-1',
      v1: 'glowworm_glowworm-backend_1',
    });
  });
});

describe('matchContainers while a glowworm run is stopped half-way', () => {
  const run = '20261202-161726-78ec';
  it('puts the container at its real name first, then the old one put aside, then the new one prepared', () => {
    const names = [`glowworm-frontend-glowworm-new-${run}`, `glowworm-frontend-glowworm-old-${run}`, 'glowworm-frontend'];
    const result = matchContainers(project, names.map((n) => container(n, v2('glowworm-frontend'))));
    expect(result.services['glowworm-frontend']!.map((m) => m.container.name)).toEqual(['glowworm-frontend', `glowworm-frontend-glowworm-old-${run}`, `glowworm-frontend-glowworm-new-${run}`]);
  });
});
