import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ComposeVolume } from './model.js';
import { parseMountSpec, resolveMount } from './volumes.js';

const volumes: Record<string, ComposeVolume> = {
  mysql_data: { key: 'mysql_data', name: 'glowworm_mysql_data', external: false, driver: null, raw: {} },
  shared: { key: 'shared', name: 'shared', external: true, driver: null, raw: { external: true } },
};
const ctx = { projectDir: '/srv/glowworm', serviceName: 'web', volumes };
const mount = (entry: unknown) => {
  const { original: _original, ...rest } = resolveMount(parseMountSpec(entry, 'services.web.volumes[0]'), ctx);
  return rest;
};

describe('volumes', () => {
  it('resolves a named volume to its real name', () => {
    expect(mount('mysql_data:/var/lib/mysql')).toEqual({
      type: 'volume', source: 'glowworm_mysql_data', volumeKey: 'mysql_data', target: '/var/lib/mysql', readOnly: false, mode: null,
    });
    expect(mount('shared:/s:ro')).toMatchObject({ source: 'shared', readOnly: true, mode: 'ro' });
  });

  it('resolves relative bind paths against the project directory, and ~ against home', () => {
    expect(mount('./data/uploads:/app/uploads')).toMatchObject({ type: 'bind', source: '/srv/glowworm/data/uploads' });
    expect(mount('../elsewhere:/x:rw,z')).toMatchObject({ source: '/srv/elsewhere', readOnly: false, mode: 'rw,z' });
    expect(mount('/abs/path:/y')).toMatchObject({ source: '/abs/path' });
    expect(mount('~/backups:/b')).toMatchObject({ source: `${homedir()}/backups` });
  });

  it('treats a lone path as an anonymous volume', () => {
    expect(mount('/app/venv')).toEqual({
      type: 'volume', source: null, volumeKey: null, target: '/app/venv', readOnly: false, mode: null,
    });
  });

  it('reads long syntax', () => {
    expect(mount({ type: 'bind', source: './d', target: '/d', read_only: true })).toMatchObject({
      type: 'bind', source: '/srv/glowworm/d', readOnly: true,
    });
    expect(mount({ type: 'volume', source: 'mysql_data', target: '/m' })).toMatchObject({ source: 'glowworm_mysql_data' });
    expect(mount({ type: 'tmpfs', target: '/tmp' })).toMatchObject({ type: 'tmpfs', source: null });
  });

  it('fails clearly on an undefined named volume and on malformed entries', () => {
    expect(() => mount('nope:/x')).toThrow('Service "web" refers to undefined volume nope.');
    expect(() => mount('a:b:c:d')).toThrow('Invalid volume "a:b:c:d" at services.web.volumes[0].');
    expect(() => mount({ source: 'x' })).toThrow('long syntax needs a "target"');
    expect(() => mount({ type: 'weird', target: '/x' })).toThrow('unknown type "weird"');
  });
});
