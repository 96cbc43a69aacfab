import { describe, expect, it } from 'vitest';
import { parsePortEntry } from './ports.js';

const at = 'services.web.ports[0]';
const brief = (entry: unknown) =>
  parsePortEntry(entry, at).map(({ target, published, hostIp, protocol }) => ({ target, published, hostIp, protocol }));

describe('parsePortEntry', () => {
  it.each([
    ['3003', [{ target: 3003, published: null, hostIp: null, protocol: 'tcp' }]],
    [3003, [{ target: 3003, published: null, hostIp: null, protocol: 'tcp' }]],
    ['3003:3003', [{ target: 3003, published: '3003', hostIp: null, protocol: 'tcp' }]],
    ['127.0.0.1:8001:8001', [{ target: 8001, published: '8001', hostIp: '127.0.0.1', protocol: 'tcp' }]],
    ['127.0.0.1::80', [{ target: 80, published: null, hostIp: '127.0.0.1', protocol: 'tcp' }]],
    ['[::1]:6001:6001/udp', [{ target: 6001, published: '6001', hostIp: '::1', protocol: 'udp' }]],
    ['8000-8010:80', [{ target: 80, published: '8000-8010', hostIp: null, protocol: 'tcp' }]],
    [
      '9090-9091:8080-8081',
      [
        { target: 8080, published: '9090', hostIp: null, protocol: 'tcp' },
        { target: 8081, published: '9091', hostIp: null, protocol: 'tcp' },
      ],
    ],
    [
      { target: 80, published: '8080', host_ip: '0.0.0.0', protocol: 'udp', mode: 'host' },
      [{ target: 80, published: '8080', hostIp: '0.0.0.0', protocol: 'udp' }],
    ],
    [{ target: '80', published: 8080 }, [{ target: 80, published: '8080', hostIp: null, protocol: 'tcp' }]],
  ])('%j', (entry, expected) => {
    expect(brief(entry)).toEqual(expected);
  });

  it('keeps what was written', () => {
    expect(parsePortEntry('3003:80', at)[0]?.original).toBe('3003:80');
    expect(parsePortEntry({ target: 80, mode: 'host' }, at)[0]).toMatchObject({ mode: 'host', original: { target: 80, mode: 'host' } });
  });

  it.each([
    ['abc:80', 'Invalid port "abc:80" at services.web.ports[0].'],
    ['70000', 'Invalid port "70000"'],
    ['8000-8002:80-81', 'the host and container port ranges differ in length'],
    [{ published: 80 }, 'long syntax needs a "target"'],
    [true, 'Invalid port true'],
  ])('rejects %j', (entry, message) => {
    expect(() => parsePortEntry(entry, at)).toThrow(message);
  });
});
