import { describe, expect, it } from 'vitest';
import { composeDialectOf, composeLabels } from './compose-labels.js';
import { v2ConfigHash } from '../compose/config-hash-v2.js';
import { anonymousVolumes, createBodyFromCompose } from './create-from-compose.js';
import { restartPolicy, runtimeConfig } from './service-runtime-config.js';
import { writeTempProject } from '../compose/fixtures/temp-project.js';
import { loadProject } from '../compose/load-project.js';

describe('composeDialectOf', () => {
  it('reads the compose that made the project from its containers, v1 when none says', () => {
    expect(composeDialectOf([{}, { 'com.docker.compose.version': '1.29.2' }])).toEqual({ kind: 'v1', version: '1.29.2' });
    expect(composeDialectOf([{ 'com.docker.compose.version': '2.24.5' }])).toEqual({ kind: 'v2', version: '2.24.5' });
    expect(composeDialectOf([])).toEqual({ kind: 'v1', version: '1.29.2' });
  });
});

describe('composeLabels for a project docker compose v2 made', () => {
  it('writes the v2 hash, the image id and depends_on as v2 does', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': 'services:\n  db:\n    image: db\n  app:\n    image: app:2\n    depends_on:\n      db:\n        condition: service_healthy\n' }, 'v2made');
    const project = await loadProject({ projectDir: dir, env: {} });
    const service = project.services['app']!;
    const v2 = { service, projectDir: dir, lookup: () => undefined };
    const labels = composeLabels({ dialect: { kind: 'v2', version: '2.29.7' }, project, service, imageId: 'sha256:abc', v1: null, v2 });
    expect(labels).toMatchObject({
      'com.docker.compose.version': '2.29.7', 'com.docker.compose.image': 'sha256:abc',
      'com.docker.compose.depends_on': 'db:service_healthy:false', 'com.docker.compose.config-hash': v2ConfigHash(v2)!,
    });
    expect(labels['com.docker.compose.config-hash']).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the runtime settings compose passes to create', () => {
  it('maps restart policies with retries, and the host settings a file may set', () => {
    expect(restartPolicy('on-failure:3')).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(restartPolicy(null)).toEqual({ Name: 'no' });
    const { config, hostConfig } = runtimeConfig({
      stop_grace_period: '1m', stop_signal: 'SIGINT', tmpfs: '/run:size=64m', cap_add: ['NET_ADMIN'], shm_size: '256m',
      logging: { driver: 'json-file', options: { 'max-size': '10m' } }, ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 },
    });
    expect(config).toEqual({ StopTimeout: 60, StopSignal: 'SIGINT' });
    expect(hostConfig).toMatchObject({
      Tmpfs: { '/run': 'size=64m' }, CapAdd: ['NET_ADMIN'], ShmSize: 256 * 1024 ** 2,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } },
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }, { Name: 'nproc', Soft: 512, Hard: 512 }],
    });
  });
});

describe('createBodyFromCompose', () => {
  it('reuses the replaced container\'s anonymous volumes where the file names none', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': 'services:\n  app:\n    image: app:2\n    volumes:\n      - /app/venv\n      - data:/data\nvolumes:\n  data:\n' }, 'anon');
    const project = await loadProject({ projectDir: dir, env: {} });
    const kept = anonymousVolumes([
      { Type: 'volume', Name: 'abc123', Destination: '/app/venv' },
      { Type: 'volume', Name: 'anon_data', Destination: '/data' },
      { Type: 'volume', Name: 'def456', Destination: '/image/volume' },
      { Type: 'bind', Destination: '/x' },
    ], project);
    expect(kept).toEqual([{ name: 'abc123', target: '/app/venv' }, { name: 'def456', target: '/image/volume' }]);
    const { body } = createBodyFromCompose(project, project.services['app']!, 'app:2', 'run1', { composeLabels: { 'com.docker.compose.project': 'anon' }, keptVolumes: kept });
    const mounts = (body['HostConfig'] as { Mounts: Record<string, unknown>[] }).Mounts;
    expect(mounts).toEqual([
      { Type: 'volume', Source: 'abc123', Target: '/app/venv', ReadOnly: false },
      { Type: 'volume', Source: 'anon_data', Target: '/data', ReadOnly: false },
      { Type: 'volume', Source: 'def456', Target: '/image/volume', ReadOnly: false },
    ]);
    expect((body['Labels'] as Record<string, string>)['com.docker.compose.project']).toBe('anon');
  });
});
