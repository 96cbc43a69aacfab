import { describe, expect, it } from 'vitest';
import { formatImageRef, parseImageRef, repositoryKey, withTag } from './image-ref.js';

describe('parseImageRef', () => {
  it.each([
    ['127.0.0.1:5000/glowworm/backend:1.0.0', { registry: '127.0.0.1:5000', repository: 'glowworm/backend', tag: '1.0.0', digest: null }],
    ['mysql:8.0', { registry: null, repository: 'mysql', tag: '8.0', digest: null }],
    ['nickstephens/glowworm-backend:test', { registry: null, repository: 'nickstephens/glowworm-backend', tag: 'test', digest: null }],
    ['redis', { registry: null, repository: 'redis', tag: 'latest', digest: null }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app', tag: 'latest', digest: null }],
    ['localhost/app:v1', { registry: 'localhost', repository: 'app', tag: 'v1', digest: null }],
    ['ghcr.io/org/app:2.1', { registry: 'ghcr.io', repository: 'org/app', tag: '2.1', digest: null }],
    [
      'mysql@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      { registry: null, repository: 'mysql', tag: null, digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    ],
    [
      '127.0.0.1:5000/glowworm/backend:1.0.0@sha256:abc123',
      { registry: '127.0.0.1:5000', repository: 'glowworm/backend', tag: '1.0.0', digest: 'sha256:abc123' },
    ],
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it('round-trips through formatImageRef', () => {
    for (const ref of ['127.0.0.1:5000/glowworm/backend:1.0.0', 'mysql:8.0', 'a/b@sha256:abc']) {
      expect(formatImageRef(parseImageRef(ref))).toBe(ref);
    }
  });

  it.each(['', 'UPPER/case', 'repo:bad tag', 'repo@nodigest', ':tag'])('rejects %j', (ref) => {
    expect(() => parseImageRef(ref)).toThrow(`Invalid image reference ${JSON.stringify(ref)}`);
  });
});

describe('withTag', () => {
  it('replaces the tag and keeps the registry (port included)', () => {
    expect(withTag('127.0.0.1:5000/glowworm/backend:1.0.0', '1.1.0')).toBe('127.0.0.1:5000/glowworm/backend:1.1.0');
    expect(withTag('mysql', '8.0')).toBe('mysql:8.0');
  });

  it('drops a digest, which would pin the old image', () => {
    expect(withTag('app:1@sha256:abc', '2')).toBe('app:2');
  });

  it('rejects an invalid tag', () => {
    expect(() => withTag('app:1', 'bad tag')).toThrow('Invalid image tag "bad tag"');
  });
});

describe('repositoryKey', () => {
  it('spells Docker Hub repositories one way', () => {
    const keys = ['mysql:8.0', 'library/mysql', 'docker.io/library/mysql:5'].map((r) => repositoryKey(parseImageRef(r)));
    expect(new Set(keys)).toEqual(new Set(['docker.io/library/mysql']));
    expect(repositoryKey(parseImageRef('127.0.0.1:5000/glowworm/backend:1'))).toBe('127.0.0.1:5000/glowworm/backend');
  });
});
