// The v1 config hash against values docker-compose 1.29.2 itself printed. How they were made (on the rig, where
// Debian's docker-compose is installed): the fixture copied to /tmp/glowworm-hash-fixture, then
//   python3 -c "from compose.cli.command import get_project; from compose.service import Service; import os
//     Service.image = lambda self: {'Id': 'sha256:' + '1' * 64}; os.environ['FROM_SHELL'] = 'shell-value'
//     p = get_project('/tmp/glowworm-hash-fixture', project_name='hashed')
//     print({s.name: s.config_hash for s in p.services})"
// (the image id is pinned so no engine is needed; compose's hash covers the absolute bind paths, hence the fixed
// directory). The oct-2025 row is a real rig stack's `com.docker.compose.config-hash` label as v1 set it.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import { v1ConfigHash } from './config-hash-v1.js';
import { readWrittenServices } from './written-services.js';
import type { ComposeProject } from './model.js';
import { pythonJsonDumps } from './python-json.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'config-hash');
const DIR = '/tmp/glowworm-hash-fixture';
const IMAGE_ID = `sha256:${'1'.repeat(64)}`;
const ENV = { FROM_SHELL: 'shell-value', PATH: '/usr/bin' };

/** docker-compose 1.29.2's `config_hash` of each fixture service (see the header). */
const V1_HASHES = {
  db: 'd6cd2fde7f66eaf86b6b2c4da4d22fc9abf5943e1ba588a965f358eeba7f541b',
  worker: 'c2a0410f429f3e83ce71b6daf3a0274b14de11a4f2ad8f244b6e96fecd6f5582',
  frontend: 'd0c543e6699d40cc4e6ac9705070aa561e6a2479bd71256fdda2e7f74fec7121',
};

async function hashes(project: ComposeProject, env: Record<string, string>): Promise<Record<string, string | null>> {
  const written = await readWrittenServices(project, env);
  return Object.fromEntries(Object.values(project.services).map((service) => [service.name, v1ConfigHash({
    written: written.services[service.name]!, service, project, imageId: IMAGE_ID, lookup: written.lookup,
  })]));
}

describe('docker-compose v1 config-hash', () => {
  let project: ComposeProject;
  beforeAll(async () => {
    rmSync(DIR, { recursive: true, force: true });
    cpSync(FIXTURE, DIR, { recursive: true });
    project = await loadProject({ projectDir: DIR, projectName: 'hashed', env: ENV });
  });
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  it('equals what docker-compose 1.29.2 computed for every service', async () => {
    expect(await hashes(project, ENV)).toEqual(V1_HASHES);
  });

  it('changes with the image id, an environment value and a healthcheck', async () => {
    const written = await readWrittenServices(project, ENV);
    const input = { written: written.services['db']!, service: project.services['db']!, project, imageId: IMAGE_ID, lookup: written.lookup };
    const base = v1ConfigHash(input);
    expect(v1ConfigHash({ ...input, imageId: `sha256:${'2'.repeat(64)}` })).not.toBe(base);
    expect((await hashes(project, { ...ENV, FROM_SHELL: 'other' }))['worker']).not.toBe(V1_HASHES.worker);
    const hc = { ...(input.written['healthcheck'] as object), interval: '31s' };
    expect(v1ConfigHash({ ...input, written: { ...input.written, healthcheck: hc } })).not.toBe(base);
  });

  it('gives no hash for a service using a key it does not reproduce (deploy, links, …)', async () => {
    const written = await readWrittenServices(project, ENV);
    const input = { written: { ...written.services['db']!, deploy: { resources: { limits: { memory: '1g' } } } }, service: project.services['db']!, project, imageId: IMAGE_ID, lookup: written.lookup };
    expect(v1ConfigHash(input)).toBeNull();
  });

  it('the real oct-2025 backend on the rig: the label v1 set on its container', async () => {
    // From `docker inspect` of a rig stack made by docker-compose 1.29.2 (project i11-oct, secrets of that stack).
    const { writeTempProject } = await import('./fixtures/temp-project.js');
    const dir = writeTempProject({ 'docker-compose.yml': OCT_BACKEND }, 'i11-oct');
    try {
      const oct = await loadProject({ projectDir: dir, env: {} });
      const written = await readWrittenServices(oct, {});
      const service = oct.services['glowworm-backend']!;
      const dict = { written: written.services['glowworm-backend']!, service, project: { ...oct, workingDir: '/tmp/i11-oct' }, imageId: OCT_IMAGE, lookup: written.lookup };
      expect(v1ConfigHash(dict)).toBe('b10d012c5fdb75ff371c005031739fd8d9feda7351ed2f81e703c2cb515a2d96');
    } finally {
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('Python json.dumps(sort_keys=True, separators=(",", ":"))', () => {
  it('escapes non-ASCII as Python does and sorts keys', () => {
    expect(pythonJsonDumps({ b: 'grüße', a: [1, null, true, '\u007f'], 'é': { z: 1, y: '😀' } }))
      .toBe('{"a":[1,null,true,"\\u007f"],"b":"gr\\u00fc\\u00dfe","\\u00e9":{"y":"\\ud83d\\ude00","z":1}}');
  });
});

const OCT_IMAGE = 'sha256:8d5931277a1eea451db4a76042a67686a9a0d6ebdd77a61714771a99a382fd63';
const OCT_BACKEND = `services:
  glowworm-backend:
    image: 127.0.0.1:5000/i11-oct/glowworm-backend:latest
    container_name: i11x-glowworm-backend
    restart: unless-stopped
    environment:
      MYSQL_HOST: glowworm-mysql
      MYSQL_PORT: 3306
      MYSQL_DATABASE: glowworm
      MYSQL_USER: glowworm
      MYSQL_PASSWORD: DBZCfVznCH+jUvfb10O6KSbVUnsBWyg+fD5Pet6dp/Q=
      SECRET_KEY: LO7hb+NWbcapA+E7txGQ9bkAV/hnm4IMoGAd7HcIw4U=
      SERVER_BASE_URL: http://localhost
      DEFAULT_DISPLAY_TIME_SECONDS: "30"
      UPLOAD_DIRECTORY: uploads
      DISPLAY_NETWORK_INTERFACE: localhost
      LOG_LEVEL: INFO
    volumes:
      - ./data/uploads:/app/uploads
    ports:
      - "36029:8001"
    depends_on:
      glowworm-mysql:
        condition: service_healthy
    networks:
      - glowworm-network
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8001/health"]
      interval: 2s
      timeout: 5s
      retries: 30
      start_period: 60s
  glowworm-mysql:
    image: mysql:8.0
networks:
  glowworm-network:
    driver: bridge
`;
