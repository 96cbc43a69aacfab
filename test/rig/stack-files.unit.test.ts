import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeFileText, servicesOf } from './compose-file.js';
import { realComposeFileText } from './compose-real.js';
import { envFileText, generatedSecret, parseEnvFile } from './env-file.js';
import { composeProjectName } from './stack.js';

interface ComposeService {
  image: string;
  container_name: string;
  restart: string;
  ports?: string[];
  volumes?: string[];
  command?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface ComposeDocument {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const composeOf = (version: '1.0.0' | '2.0.0', prefix: string) => parse(composeFileText(version, prefix)) as ComposeDocument;

describe('compose file', () => {
  it('has the real shape: no top-level name, real container names, only the frontend publishes a port', () => {
    const doc = composeOf('1.0.0', '');
    expect(doc.name).toBeUndefined();
    expect(Object.keys(doc.services)).toEqual(servicesOf('1.0.0'));
    for (const [service, config] of Object.entries(doc.services)) {
      expect(config.container_name).toBe(service);
      expect(config.restart).toBe('unless-stopped');
      expect(config.ports === undefined).toBe(service !== 'glowworm-frontend');
    }
    expect(doc.services['glowworm-frontend']?.ports).toEqual(['${FRONTEND_PORT:-3003}:3003']);
    expect(Object.keys(doc.volumes ?? {})).toEqual(['mysql_data', 'redis_data']);
  });

  it('names images literally and runs the worker from the backend image after mysql and redis only', () => {
    const doc = composeOf('1.0.0', 'x-');
    expect(doc.services['glowworm-backend']?.image).toBe('127.0.0.1:5000/glowworm/backend:1.0.0');
    const worker = doc.services['glowworm-celery-worker'];
    expect(worker?.image).toBe('127.0.0.1:5000/glowworm/backend:1.0.0');
    expect(worker?.container_name).toBe('x-glowworm-celery-worker');
    expect(Object.keys(worker?.depends_on ?? {})).toEqual(['glowworm-mysql', 'glowworm-redis']);
    expect(doc.services['glowworm-frontend']?.depends_on).toEqual({ 'glowworm-backend': { condition: 'service_healthy' } });
  });

  it('has no service or variable the real app never had (2.0.0 is the same shape)', () => {
    const doc = composeOf('2.0.0', '');
    expect(Object.keys(doc.services)).toEqual(servicesOf('1.0.0'));
    expect(JSON.stringify(doc)).not.toMatch(/scheduler|SIGNING/);
  });
});

const realComposeOf = (shape: 'oct-2025' | 'newest') =>
  parse(realComposeFileText(shape, { prefix: 'p-', namespace: 'gw-x' })) as ComposeDocument;

describe('the real compose shapes', () => {
  it('October: three services, MySQL in ./data/mysql with init.sql, backend port published, :latest', () => {
    const doc = realComposeOf('oct-2025');
    expect(doc.name).toBeUndefined();
    expect(Object.keys(doc.services)).toEqual(['glowworm-mysql', 'glowworm-backend', 'glowworm-frontend']);
    const { 'glowworm-mysql': mysql, 'glowworm-backend': backend, 'glowworm-frontend': frontend } = doc.services;
    expect(mysql?.image).toBe('mysql:8.0');
    expect(mysql?.volumes).toEqual(['./data/mysql:/var/lib/mysql', './docker/mysql/init.sql:/docker-entrypoint-initdb.d/init.sql:ro']);
    expect(backend?.image).toBe('127.0.0.1:5000/gw-x/glowworm-backend:latest');
    expect(backend?.ports).toEqual(['${BACKEND_PORT:-8001}:8001']);
    expect(Object.keys(backend?.environment ?? {}).filter((key) => /CELERY|REDIS/.test(key))).toEqual([]);
    expect(frontend?.image).toBe('127.0.0.1:5000/gw-x/glowworm-frontend:latest');
    expect(frontend?.environment?.VITE_BACKEND_URL).toBeUndefined();
    expect(doc.volumes).toBeUndefined();
    for (const [name, service] of Object.entries(doc.services)) {
      expect(service.container_name).toBe(`p-${name}`);
      expect(service.restart).toBe('unless-stopped');
    }
  });

  it('newest: redis and a worker without a healthcheck, MySQL on mysql_data, only the frontend port, :test', () => {
    const doc = realComposeOf('newest');
    const services = doc.services;
    expect(Object.keys(services).sort()).toEqual(
      ['glowworm-backend', 'glowworm-celery-worker', 'glowworm-frontend', 'glowworm-mysql', 'glowworm-redis'],
    );
    expect(services['glowworm-mysql']?.volumes).toEqual(['mysql_data:/var/lib/mysql']);
    expect(services['glowworm-redis']).toMatchObject({ image: 'redis:7-alpine', command: 'redis-server --appendonly yes' });
    const backend = services['glowworm-backend'];
    expect(backend?.environment).toMatchObject({
      CELERY_BROKER_URL: 'redis://glowworm-redis:6379/0',
      CELERY_RESULT_BACKEND: 'redis://glowworm-redis:6379/0',
      USE_CELERY: '${USE_CELERY:-true}',
      DOCKER_MODE: 'true',
    });
    expect(Object.keys(backend?.depends_on ?? {})).toEqual(['glowworm-mysql', 'glowworm-redis']);
    const worker = services['glowworm-celery-worker'];
    expect(worker?.image).toBe('127.0.0.1:5000/gw-x/glowworm-backend:test');
    expect(worker?.command).toBe(
      'celery -A celery_app worker --beat --loglevel=info --concurrency=4 --queues=high_priority,normal_priority,low_priority',
    );
    expect(worker?.healthcheck).toBeUndefined();
    expect(worker?.volumes).toEqual(['./data/uploads:/app/uploads']);
    expect(Object.keys(worker?.depends_on ?? {})).toEqual(['glowworm-mysql', 'glowworm-redis']);
    expect(services['glowworm-frontend']?.environment?.VITE_BACKEND_URL).toBe('http://glowworm-backend:8001');
    const published = Object.entries(services).filter(([, s]) => s.ports).map(([name]) => name);
    expect(published).toEqual(['glowworm-frontend']);
    expect(Object.keys(doc.volumes ?? {})).toEqual(['mysql_data', 'redis_data']);
  });
});

describe('.env', () => {
  it('generates secrets containing / + and =', () => {
    for (let i = 0; i < 20; i++) expect(generatedSecret()).toMatch(/^(?=.*\/)(?=.*\+)[A-Za-z0-9+/]{43}=$/);
  });

  it('round-trips through the parser, with BACKEND_PORT only when asked for', () => {
    const env = parseEnvFile(envFileText({ frontendPort: 4321 }));
    expect(env.FRONTEND_PORT).toBe('4321');
    expect(env.MYSQL_DATABASE).toBe('glowworm');
    expect(env.MYSQL_ROOT_PASSWORD).toMatch(/=$/);
    expect(env.BACKEND_PORT).toBeUndefined();
    expect(parseEnvFile(envFileText({ frontendPort: 1, backendPort: 2 })).BACKEND_PORT).toBe('2');
  });
});

describe('composeProjectName', () => {
  it('derives the name as docker-compose 1.29 does', () => {
    expect(composeProjectName('/srv/GlowWorm')).toBe('glowworm');
    expect(composeProjectName('/tmp/gw-rig.test_1')).toBe('gw-rigtest_1');
  });
});
