import { describe, expect, it } from 'vitest';
import { parseComposeYaml } from './compose-yaml.js';
import { mergeComposeFiles } from './merge.js';

const merge = (...files: string[]) => mergeComposeFiles(files.map((text, i) => parseComposeYaml(text, `f${i}.yml`)));
const service = (merged: Record<string, unknown>, name = 'web') =>
  (merged['services'] as Record<string, Record<string, unknown>>)[name] as Record<string, unknown>;

describe('mergeComposeFiles', () => {
  it('merges mappings key by key and adds new services', () => {
    const merged = merge(
      'services:\n  web:\n    image: app:1\n    restart: always\n  db:\n    image: mysql:8.0',
      'services:\n  web:\n    image: app:2\n  worker:\n    image: app:2',
    );
    expect(service(merged)).toEqual({ image: 'app:2', restart: 'always' });
    expect(Object.keys(merged['services'] as object)).toEqual(['web', 'db', 'worker']);
  });

  it('replaces command, entrypoint and healthcheck.test instead of appending', () => {
    const merged = merge(
      'services:\n  web:\n    command: [a, b]\n    entrypoint: [x]\n    healthcheck: {test: [CMD, old], retries: 3}',
      'services:\n  web:\n    command: [c]\n    entrypoint: sh -c y\n    healthcheck: {test: [CMD, new]}',
    );
    expect(service(merged)).toEqual({
      command: ['c'],
      entrypoint: 'sh -c y',
      healthcheck: { test: ['CMD', 'new'], retries: 3 },
    });
  });

  it('merges environment and labels by key across list and mapping forms', () => {
    const merged = merge(
      'services:\n  web:\n    environment: [A=1, B=2, C]\n    labels: [x=1]',
      'services:\n  web:\n    environment: {B: "3", D: 4}\n    labels: {y: "2"}',
    );
    expect(service(merged)['environment']).toEqual({ A: '1', B: '3', C: null, D: '4' });
    expect(service(merged)['labels']).toEqual({ x: '1', y: '2' });
  });

  it('merges ports by host ip, published port, target and protocol', () => {
    const merged = merge(
      'services:\n  web:\n    ports: ["3003:3003", "8001:8001"]',
      'services:\n  web:\n    ports: ["3003:3003", "127.0.0.1:8080:3003", {target: 8001, published: 8001}]',
    );
    expect(service(merged)['ports']).toEqual(['3003:3003', { target: 8001, published: 8001 }, '127.0.0.1:8080:3003']);
  });

  it('merges volumes by target, replacing the earlier mount in place', () => {
    const merged = merge(
      'services:\n  web:\n    volumes: [data:/var/lib/mysql, ./up:/app/uploads]',
      'services:\n  web:\n    volumes: [./data/mysql:/var/lib/mysql, {type: tmpfs, target: /tmp}]',
    );
    expect(service(merged)['volumes']).toEqual(['./data/mysql:/var/lib/mysql', './up:/app/uploads', { type: 'tmpfs', target: '/tmp' }]);
  });

  it('merges secrets by target and appends other sequences without duplicates where compose does', () => {
    const merged = merge(
      'services:\n  web:\n    secrets: [db_pw]\n    dns: [1.1.1.1]\n    expose: [80]\n    sysctls_list: [a]',
      'services:\n  web:\n    secrets: [{source: other, target: /run/secrets/db_pw}]\n    dns: [1.1.1.1, 8.8.8.8]\n    expose: ["80", 81]\n    sysctls_list: [a]',
    );
    expect(service(merged)['secrets']).toEqual([{ source: 'other', target: '/run/secrets/db_pw' }]);
    expect(service(merged)['dns']).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(service(merged)['expose']).toEqual(['80', 81]);
    expect(service(merged)['sysctls_list']).toEqual(['a', 'a']);
  });

  it('merges depends_on and networks by key across list and mapping forms', () => {
    const merged = merge(
      'services:\n  web:\n    depends_on: [db]\n    networks: [front]',
      'services:\n  web:\n    depends_on: {db: {condition: service_healthy}, cache: {condition: service_started}}\n    networks: {back: {aliases: [api]}}',
    );
    expect(service(merged)['depends_on']).toEqual({
      db: { condition: 'service_healthy', required: true },
      cache: { condition: 'service_started' },
    });
    expect(service(merged)['networks']).toEqual({ front: null, back: { aliases: ['api'] } });
  });

  it('keeps the base when an override sets a list or mapping to null', () => {
    const merged = merge('services:\n  web:\n    networks: [front]', 'services:\n  web:\n    networks: null');
    expect(service(merged)['networks']).toEqual({ front: null });
  });

  it('applies !reset and !override', () => {
    const merged = merge(
      'services:\n  web:\n    image: app\n    ports: ["8080:80"]\n    environment: {FOO: bar, KEEP: k}\n    volumes: [a:/a]\n  gone:\n    image: x',
      'services:\n  web:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n    volumes: !override\n      - b:/b\n  gone: !reset',
    );
    expect(merged['services']).toEqual({ web: { image: 'app', environment: { KEEP: 'k' }, volumes: ['b:/b'] } });
  });

  it('replaces x- extensions whole and merges logging only for the same driver', () => {
    const merged = merge(
      'x-common: {a: 1, b: 2}\nservices:\n  web:\n    logging: {driver: json-file, options: {max-size: 1m}}',
      'x-common: {c: 3}\nservices:\n  web:\n    logging: {driver: syslog, options: {tag: w}}',
    );
    expect(merged['x-common']).toEqual({ c: 3 });
    expect(service(merged)['logging']).toEqual({ driver: 'syslog', options: { tag: 'w' } });
  });

  it('resolves YAML anchors and merge keys before merging', () => {
    const merged = merge('x-base: &base\n  restart: always\n  image: app\nservices:\n  web:\n    <<: *base\n    image: web');
    expect(service(merged)).toEqual({ restart: 'always', image: 'web' });
  });
});

describe('parseComposeYaml', () => {
  it('names the file and line of a syntax error', () => {
    expect(() => parseComposeYaml('services:\n  web:\n    image: [unclosed\n', '/p/compose.yaml')).toThrow(
      /^\/p\/compose\.yaml: .*line \d+/s,
    );
  });

  it('rejects duplicate keys and a non-mapping top level', () => {
    expect(() => parseComposeYaml('a: 1\na: 2\n', 'f.yml')).toThrow(/f\.yml: .*unique/is);
    expect(() => parseComposeYaml('- a\n- b\n', 'f.yml')).toThrow('f.yml: the top level must be a mapping.');
  });
});
