// The v2 hash's serializer against docker/compose's own golden value (pkg/compose/hash_test.go TestHashGoldenValues:
// richServiceFixture → 75bc3121…), and the normalisation of a GlowWorm service as compose-go loads it.
import { describe, expect, it } from 'vitest';
import { goDuration, v2ConfigHash, v2ServiceConfig } from './config-hash-v2.js';
import { goJson, GoStruct } from './go-json.js';
import { writeTempProject } from './fixtures/temp-project.js';
import { loadProject } from './load-project.js';
import { createHash } from 'node:crypto';

describe('docker compose v2 config-hash', () => {
  it('reproduces docker/compose\'s golden ServiceHash of its rich fixture', async () => {
    // richServiceFixture as compose-go's ServiceConfig holds it (deploy with replicas cleared by ServiceHash).
    const dir = writeTempProject({ 'docker-compose.yml': `services:
  web:
    image: nginx:latest
    command: ["nginx", "-g", "daemon off;"]
    user: nobody
    tty: true
    stdin_open: true
    restart: always
    environment: {A: "1", B: null}
    labels: {com.example: v}
    cap_add: [NET_ADMIN]
    extra_hosts: {alpha: ["10.0.0.1"]}
    healthcheck: {test: ["CMD", "true"]}
    volumes: [{type: volume, source: data, target: /data}]
volumes:
  data:
` }, 'golden');
    const project = await loadProject({ projectDir: dir, env: {} });
    const config = v2ServiceConfig({ service: project.services['web']!, projectDir: dir, lookup: () => undefined })!;
    // Fields the fixture has that no compose file of ours sets (annotations, deploy {}), and its port as compose-go
    // holds it when built in Go (no mode default: the fixture is a literal, not loaded), spliced in at their places.
    const fields = [...config.fields];
    fields.unshift(['annotations', { note: 'x' }]);
    fields.splice(fields.findIndex(([k]) => k === 'dns'), 0, ['deploy', new GoStruct([['resources', new GoStruct([])], ['placement', new GoStruct([])]])]);
    fields.splice(fields.findIndex(([k]) => k === 'privileged'), 0, ['ports', [new GoStruct([['target', 80], ['published', '8080'], ['protocol', 'tcp']])]]);
    const hash = createHash('sha256').update(goJson(new GoStruct(fields))).digest('hex');
    expect(hash).toBe('75bc312132c71fac4971d123202631b6978ac9d796336621af744d46611b42a2');
  });

  it('normalises a service as compose-go does: words, string env, ingress ports, bind sources absolute', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': `services:
  worker:
    image: app:1
    command: celery -A celery_app worker
    environment: {MYSQL_PORT: 3306, FROM_SHELL: null}
    ports: ["127.0.0.1:3003:3003"]
    volumes: ["./data/uploads:/app/uploads:ro", "mysql_data:/var/lib/mysql"]
    healthcheck: {test: "curl -f http://localhost/", interval: 1m30s}
volumes:
  mysql_data:
` }, 'norm');
    const project = await loadProject({ projectDir: dir, env: { FROM_SHELL: 'x' } });
    const json = goJson(v2ServiceConfig({ service: project.services['worker']!, projectDir: dir, lookup: (k) => (k === 'FROM_SHELL' ? 'x' : undefined) }));
    expect(json).toBe(`{"command":["celery","-A","celery_app","worker"],"entrypoint":null,"environment":{"FROM_SHELL":"x","MYSQL_PORT":"3306"},`
      + `"healthcheck":{"test":["CMD-SHELL","curl -f http://localhost/"],"interval":"1m30s"},"image":"app:1","networks":{"default":null},`
      + `"ports":[{"mode":"ingress","host_ip":"127.0.0.1","target":3003,"published":"3003","protocol":"tcp"}],`
      + `"volumes":[{"type":"bind","source":"${dir}/data/uploads","target":"/app/uploads","read_only":true,"bind":{}},{"type":"volume","source":"mysql_data","target":"/var/lib/mysql","volume":{}}]}`);
    expect(goDuration(2000)).toBe('2s');
    expect(goDuration(3_600_000)).toBe('1h0m0s');
    expect(goDuration(500)).toBe('500ms');
  });

  it('gives no hash for a service using a key it does not reproduce', async () => {
    const dir = writeTempProject({ 'docker-compose.yml': 'services:\n  a:\n    image: a\n    ulimits: {nofile: 1024}\n' }, 'unmodelled');
    const project = await loadProject({ projectDir: dir, env: {} });
    expect(v2ConfigHash({ service: project.services['a']!, projectDir: dir, lookup: () => undefined })).toBeNull();
  });
});

describe('goJson', () => {
  it('escapes as Go does', () => {
    expect(goJson({ b: '<a&b>', a: 'grüße\u0008' })).toBe('{"a":"grüße\\u0008","b":"\\u003ca\\u0026b\\u003e"}');
  });
});
