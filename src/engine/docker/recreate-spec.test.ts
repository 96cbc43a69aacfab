import { describe, expect, it } from 'vitest';
import { recreateSpec } from './recreate-spec.js';
import type { ImageDetails, RawContainerInspect } from './port.js';

const oldId = 'a1b2c3d4e5f60000000000000000000000000000000000000000000000000000';

function image(id: string, config: Record<string, unknown>, labels: Record<string, string> = {}): ImageDetails {
  return { id, repoTags: [], repoDigests: [], labels, config: { ...config, Labels: labels } };
}

const oldImage = image('sha256:old', {
  Cmd: ['/app/start-backend-with-migrations.sh'],
  WorkingDir: '/app',
  Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'APP_VERSION=1.0.0'],
  Healthcheck: { Test: ['CMD', 'true'] },
  ExposedPorts: { '8001/tcp': {} },
}, { 'org.opencontainers.image.version': '1.0.0' });

const newImage = image('sha256:new', {
  Cmd: ['/app/start-v2.sh'],
  WorkingDir: '/srv',
  Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'APP_VERSION=1.1.0'],
}, { 'org.opencontainers.image.version': '1.1.0' });

function backend(overrides: Partial<RawContainerInspect['Config']> = {}): RawContainerInspect {
  return {
    Id: oldId,
    Name: '/glowworm-backend',
    Image: 'sha256:old',
    Config: {
      Hostname: oldId.slice(0, 12),
      Image: '127.0.0.1:5000/glowworm/backend:1.0.0',
      Cmd: ['/app/start-backend-with-migrations.sh'],
      WorkingDir: '/app',
      Env: ['MYSQL_HOST=glowworm-mysql', 'SECRET_KEY=s3cr3t/+=', 'PATH=/usr/local/bin:/usr/bin:/bin', 'APP_VERSION=1.0.0'],
      Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost:8001/health'], Interval: 2_000_000_000 },
      Labels: {
        'org.opencontainers.image.version': '1.0.0',
        'com.docker.compose.project': 'glowworm',
        'com.docker.compose.service': 'glowworm-backend',
        'com.docker.compose.image': 'sha256:old',
      },
      ExposedPorts: { '8001/tcp': {} },
      ...overrides,
    },
    HostConfig: {
      Binds: ['/srv/glowworm/data/uploads:/app/uploads:rw'],
      NetworkMode: 'glowworm_glowworm-network',
      RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
    },
    NetworkSettings: {
      Networks: {
        'glowworm_glowworm-network': { Aliases: ['glowworm-backend', oldId.slice(0, 12)], IPAMConfig: null },
        'glowworm_monitoring': { Aliases: ['backend-metrics'], IPAMConfig: { IPv4Address: '172.30.0.9' } },
      },
    },
    State: {},
    ...({ Mounts: [
      { Type: 'bind', Destination: '/app/uploads', Source: '/srv/glowworm/data/uploads' },
      { Type: 'volume', Name: 'f00d'.repeat(16), Destination: '/app/cache' },
    ] } as object),
  };
}

describe('recreateSpec', () => {
  const spec = recreateSpec({ old: backend(), oldImage, newImage, newImageRef: '127.0.0.1:5000/glowworm/backend:1.1.0', runId: 'run1' });
  const body = spec.body as Record<string, any>;

  it('lets the new image defaults apply where the old container only inherited them', () => {
    expect(body['Image']).toBe('127.0.0.1:5000/glowworm/backend:1.1.0');
    expect(body).not.toHaveProperty('Cmd');
    expect(body).not.toHaveProperty('WorkingDir');
    expect(body).not.toHaveProperty('Hostname');
    expect(body['Env']).toEqual(['MYSQL_HOST=glowworm-mysql', 'SECRET_KEY=s3cr3t/+=']);
  });

  it('keeps what compose set: healthcheck, env, binds, restart policy, compose labels', () => {
    expect(body['Healthcheck']).toEqual({ Test: ['CMD-SHELL', 'curl -f http://localhost:8001/health'], Interval: 2_000_000_000 });
    expect(body['HostConfig'].Binds).toEqual(['/srv/glowworm/data/uploads:/app/uploads:rw']);
    expect(body['HostConfig'].RestartPolicy).toEqual({ Name: 'unless-stopped', MaximumRetryCount: 0 });
    expect(body['Labels']).toMatchObject({
      'com.docker.compose.project': 'glowworm',
      'com.docker.compose.service': 'glowworm-backend',
      'com.docker.compose.image': 'sha256:new',
      'io.glowworm.run': 'run1',
      'io.glowworm.previous-container': 'glowworm-backend',
    });
    expect(body['Labels']).not.toHaveProperty('org.opencontainers.image.version');
  });

  it('keeps a command the user set even if it differs from the image', () => {
    const worker = recreateSpec({
      old: backend({ Cmd: ['celery', '-A', 'celery_app', 'worker', '--beat'] }),
      oldImage, newImage, newImageRef: 'x:2', runId: 'r',
    });
    expect(worker.body['Cmd']).toEqual(['celery', '-A', 'celery_app', 'worker', '--beat']);
  });

  it('carries anonymous volumes over and leaves declared binds alone', () => {
    expect(body['HostConfig'].Mounts).toEqual([{ Type: 'volume', Source: 'f00d'.repeat(16), Target: '/app/cache' }]);
  });

  it('creates on the primary network with its aliases (minus the old short id) and connects the rest after', () => {
    expect(body['NetworkingConfig']).toEqual({ EndpointsConfig: { 'glowworm_glowworm-network': { Aliases: ['glowworm-backend'] } } });
    expect(spec.extraNetworks).toEqual([
      { name: 'glowworm_monitoring', endpoint: { Aliases: ['backend-metrics'], IPAMConfig: { IPv4Address: '172.30.0.9' } } },
    ]);
  });

  it('applies env overrides by key', () => {
    const s = recreateSpec({ old: backend(), oldImage, newImage, newImageRef: 'x', runId: 'r', envOverrides: ['SECRET_KEY=new', 'DISPLAY_SIGNING_KEY=k'] });
    expect(s.body['Env']).toEqual(['MYSQL_HOST=glowworm-mysql', 'SECRET_KEY=new', 'DISPLAY_SIGNING_KEY=k']);
  });
});
