import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeFileText, servicesOf } from './compose-file.js';
import { envFileText, generatedSecret, parseEnvFile } from './env-file.js';
import { composeProjectName } from './stack.js';

interface ComposeService {
  image: string;
  container_name: string;
  restart: string;
  ports?: string[];
  command?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface ComposeDocument {
  name?: string;
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
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
    expect(Object.keys(doc.volumes)).toEqual(['mysql_data', 'redis_data']);
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

  it('adds the scheduler and DISPLAY_SIGNING_KEY for 2.0.0 only', () => {
    expect(composeOf('1.0.0', '').services['glowworm-scheduler']).toBeUndefined();
    const doc = composeOf('2.0.0', '');
    expect(doc.services['glowworm-scheduler']?.command).toBe('celery -A celery_app beat --loglevel=info');
    expect(doc.services['glowworm-backend']?.environment?.DISPLAY_SIGNING_KEY).toBe('${DISPLAY_SIGNING_KEY}');
  });
});

describe('.env', () => {
  it('generates secrets containing / + and =', () => {
    for (let i = 0; i < 20; i++) expect(generatedSecret()).toMatch(/^(?=.*\/)(?=.*\+)[A-Za-z0-9+/]{43}=$/);
  });

  it('round-trips through the parser, with the signing key for 2.0.0 only', () => {
    const env = parseEnvFile(envFileText('2.0.0', 4321));
    expect(env.FRONTEND_PORT).toBe('4321');
    expect(env.MYSQL_DATABASE).toBe('glowworm');
    expect(env.MYSQL_ROOT_PASSWORD).toMatch(/=$/);
    expect(env.DISPLAY_SIGNING_KEY).toBeDefined();
    expect(parseEnvFile(envFileText('1.0.0', 1)).DISPLAY_SIGNING_KEY).toBeUndefined();
  });
});

describe('composeProjectName', () => {
  it('derives the name as docker-compose 1.29 does', () => {
    expect(composeProjectName('/srv/GlowWorm')).toBe('glowworm');
    expect(composeProjectName('/tmp/gw-rig.test_1')).toBe('gw-rigtest_1');
  });
});
