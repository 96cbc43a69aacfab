import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import type { ComposeService } from './model.js';
import { serviceRoles } from './service-roles.js';

function svc(name: string, image: string | null, extra: Partial<ComposeService> = {}): ComposeService {
  return { name, image, command: null, entrypoint: null, environment: {}, ...extra } as ComposeService;
}
const roles = (...services: ComposeService[]) => serviceRoles({ services: Object.fromEntries(services.map((s) => [s.name, s])) });

describe('serviceRoles', () => {
  it('classifies the GlowWorm services', async () => {
    const project = await loadProject({ projectDir: resolve(import.meta.dirname, 'fixtures/glowworm'), env: {} });
    expect(serviceRoles(project)).toEqual({
      roles: {
        'glowworm-backend': 'backend',
        'glowworm-celery-worker': 'worker',
        'glowworm-frontend': 'frontend',
        'glowworm-mysql': 'db',
        'glowworm-redis': 'redis',
      },
      db: 'glowworm-mysql',
      redis: 'glowworm-redis',
      backend: 'glowworm-backend',
      frontend: 'glowworm-frontend',
      workers: ['glowworm-celery-worker'],
      warnings: [],
    });
  });

  it('works with renamed services and a local registry', () => {
    const result = roles(
      svc('api', '127.0.0.1:5000/glowworm/backend:1.0.0'),
      svc('jobs', '127.0.0.1:5000/glowworm/backend:1.0.0', { command: ['celery', 'worker'] }),
      svc('web', '127.0.0.1:5000/glowworm/frontend:1.0.0'),
      svc('database', 'mariadb:11'),
      svc('cache', 'redis:7-alpine'),
      svc('proxy', 'nginx:1.27'),
    );
    expect(result.roles).toEqual({ api: 'backend', cache: 'redis', database: 'db', jobs: 'worker', proxy: 'other', web: 'frontend' });
    expect(result.warnings).toEqual([]);
  });

  it('recognises the backend by its name even with a command override, and workers by image', () => {
    const result = roles(
      svc('glowworm-backend', 'registry.example.com/app:2', { command: 'uvicorn main:app --reload' }),
      svc('glowworm-celery-worker', 'registry.example.com/app:2', { command: 'celery worker' }),
    );
    expect(result.backend).toBe('glowworm-backend');
    expect(result.workers).toEqual(['glowworm-celery-worker']);
  });

  it('takes a database from MYSQL_ROOT_PASSWORD when the image says nothing', () => {
    const result = roles(svc('store', 'registry.example.com/custom-db:1', { environment: { MYSQL_ROOT_PASSWORD: 'x' } }));
    expect(result.db).toBe('store');
  });

  it('returns no singular role and a warning when it cannot tell', () => {
    const result = roles(svc('db1', 'mysql:8.0'), svc('db2', 'mariadb:11'), svc('api1', 'a/backend:1'), svc('api2', 'b/backend:1'));
    expect(result.db).toBeNull();
    expect(result.backend).toBeNull();
    expect(result.roles).toEqual({ api1: 'backend', api2: 'backend', db1: 'db', db2: 'db' });
    expect(result.warnings).toEqual([
      'Several services look like the backend ("api1", "api2"); cannot tell which one it is.',
      'Several services look like the db ("db1", "db2"); cannot tell which one it is.',
    ]);
  });

  it('prefers GlowWorm\'s own service name among several candidates, and says so', () => {
    const result = roles(svc('glowworm-mysql', 'mysql:8.0'), svc('test-db', 'mysql:8.0'));
    expect(result.db).toBe('glowworm-mysql');
    expect(result.warnings).toEqual(['Several services look like the db ("glowworm-mysql", "test-db"); using "glowworm-mysql".']);
  });

  it('warns when backend images only run with command overrides', () => {
    const result = roles(svc('worker', 'glowworm/backend:1', { command: 'celery worker' }));
    expect(result.backend).toBeNull();
    expect(result.roles).toEqual({ worker: 'worker' });
    expect(result.warnings).toEqual(['No service looks like the GlowWorm backend (a backend image without a command override).']);
  });
});
