import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTempProject } from './fixtures/temp-project.js';
import { loadProject } from './load-project.js';

const load = (compose: string, extra: Record<string, string> = {}, env: Record<string, string> = {}) =>
  loadProject({ projectDir: writeTempProject({ 'compose.yaml': compose, ...extra }), env });

describe('service normalisation', () => {
  it('merges env files in order, then environment; KEY without value comes from the environment', async () => {
    const dir = writeTempProject({
      'compose.yaml': [
        'services:',
        '  web:',
        '    image: app',
        '    env_file: [common.env, {path: local.env, required: false}, {path: absent.env, required: false}]',
        '    environment: [FROM_SHELL, NOT_IN_SHELL, OVERRIDDEN=by-environment]',
      ].join('\n'),
      'common.env': 'A=common\nOVERRIDDEN=common\nNOT_IN_SHELL=from-file\nREF=${TAG:-none}\n',
      'local.env': 'A=local\nB=$A-b\n',
      '.env': 'TAG=v1\n',
    });
    const project = await loadProject({ projectDir: dir, env: { FROM_SHELL: 'shell' } });
    const web = project.services['web'];
    expect(web?.environment).toEqual({ A: 'local', OVERRIDDEN: 'by-environment', REF: 'v1', B: 'local-b', FROM_SHELL: 'shell' });
    expect(web?.envFiles).toEqual([join(dir, 'common.env'), join(dir, 'local.env')]);
  });

  it('fails clearly on a missing required env file', async () => {
    await expect(load('services:\n  web:\n    image: app\n    env_file: app.env\n')).rejects.toThrow(
      /Env file .*\/app\.env not found \(services\.web\.env_file\)\./,
    );
  });

  it('keeps command and entrypoint forms, labels, user, working_dir, extra_hosts and profiles', async () => {
    const project = await load(
      [
        'services:',
        '  web:',
        '    image: app',
        '    command: ["uvicorn", "main:app", "--port", "8001"]',
        '    entrypoint: /entry.sh',
        '    labels: [com.example.tier=web, bare]',
        '    user: "1000:1000"',
        '    working_dir: /app',
        '    extra_hosts: ["host.docker.internal:host-gateway", "v6=::1"]',
        '    expose: [8001]',
        '  debug:',
        '    image: app',
        '    profiles: [debug]',
        '  tools:',
        '    image: app',
        '    profiles: [tools]',
      ].join('\n'),
      {},
      { COMPOSE_PROFILES: 'tools' },
    );
    expect(project.services['web']).toMatchObject({
      command: ['uvicorn', 'main:app', '--port', '8001'],
      entrypoint: '/entry.sh',
      labels: { 'com.example.tier': 'web', bare: '' },
      user: '1000:1000',
      workingDir: '/app',
      extraHosts: [
        { host: 'host.docker.internal', ip: 'host-gateway' },
        { host: 'v6', ip: '::1' },
      ],
      expose: ['8001'],
      active: true,
    });
    expect(project.activeProfiles).toEqual(['tools']);
    expect(project.services['debug']).toMatchObject({ profiles: ['debug'], active: false });
    expect(project.services['tools']?.active).toBe(true);
  });

  it('reads healthchecks: string tests, disable, NONE', async () => {
    const project = await load(
      [
        'services:',
        '  a: {image: x, healthcheck: {test: "curl -f http://localhost/", interval: 1m30s, timeout: 500ms, retries: "3"}}',
        '  b: {image: x, healthcheck: {disable: true}}',
        '  c: {image: x, healthcheck: {test: [NONE]}}',
      ].join('\n'),
    );
    expect(project.services['a']?.healthcheck).toMatchObject({
      disabled: false,
      test: ['CMD-SHELL', 'curl -f http://localhost/'],
      intervalMs: 90_000,
      timeoutMs: 500,
      retries: 3,
    });
    expect(project.services['b']?.healthcheck).toMatchObject({ disabled: true, test: ['NONE'] });
    expect(project.services['c']?.healthcheck).toMatchObject({ disabled: true, test: ['NONE'] });
    await expect(load('services:\n  a: {image: x, healthcheck: {interval: soon}}')).rejects.toThrow(
      'Invalid healthcheck at services.a.healthcheck.interval: "soon" is not a duration like "30s" or "1m30s".',
    );
  });

  it('reads network aliases and addresses, and network_mode instead of networks', async () => {
    const project = await load(
      [
        'name: demo',
        'services:',
        '  web:',
        '    image: app',
        '    networks: {front: {aliases: [api, www], ipv4_address: 172.30.0.5}, back: null}',
        '  sidecar:',
        '    image: app',
        '    network_mode: service:web',
        'networks:',
        '  front: {}',
        '  back: {name: shared-back, external: true}',
      ].join('\n'),
    );
    expect(project.services['web']?.networks).toEqual([
      { key: 'front', name: 'demo_front', aliases: ['api', 'www'], ipv4Address: '172.30.0.5', ipv6Address: null },
      { key: 'back', name: 'shared-back', aliases: [], ipv4Address: null, ipv6Address: null },
    ]);
    expect(project.services['sidecar']).toMatchObject({ networks: [], networkMode: 'service:web' });
    expect(project.services['sidecar']?.dependsOn).toEqual([
      { service: 'web', condition: 'service_started', required: true, restart: false, implicit: true },
    ]);
    expect(project.networks['default']).toBeUndefined();
  });

  it('fails clearly on undefined networks, undefined dependencies and bad conditions', async () => {
    await expect(load('services:\n  web:\n    image: a\n    networks: [nope]\n')).rejects.toThrow(
      'Service "web" refers to undefined network nope.',
    );
    await expect(load('services:\n  web:\n    image: a\n    depends_on: [db]\n')).rejects.toThrow(
      'Service "web" depends on undefined service "db".',
    );
    await expect(
      load('services:\n  web:\n    image: a\n    depends_on: {db: {condition: healthy}}\n  db: {image: b}\n'),
    ).rejects.toThrow('Service "web" depends on "db" with unknown condition "healthy"');
  });

  it('drops optional dependencies on undefined services with a warning', async () => {
    const project = await load('services:\n  web:\n    image: a\n    depends_on: {db: {condition: service_started, required: false}}\n');
    expect(project.services['web']?.dependsOn).toEqual([]);
    expect(project.warnings).toContain('Service "web" depends on "db", which is not defined; ignored.');
  });

  it('warns about obsolete and unsupported top-level keys', async () => {
    const project = await load('version: "3.8"\nservices:\n  web:\n    image: a\n    extends: {service: base}\n');
    expect(project.warnings).toEqual([
      'The top-level "version" is obsolete; compose ignores it.',
      'Service "web" uses "extends", which glowworm does not resolve.',
    ]);
  });
});
