import { describe, expect, it } from 'vitest';
import { cleanVersion, compareVersions, isInRange, parseVersion } from './version-order.js';

describe('version order', () => {
  it('sorts releases, prereleases and numeric identifiers by semver precedence', () => {
    // The example order from semver.org §11, shuffled, plus a `v` prefix on some.
    const expected = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.2.0-broken',
      '1.2.0',
      '1.10.0',
      '2.0.0',
    ];
    const shuffled = ['v2.0.0', '1.0.0-beta.11', '1.0.0', 'v1.2.0-broken', '1.0.0-alpha.beta', '1.10.0', '1.0.0-rc.1',
      '1.0.0-alpha', '1.2.0', '1.0.0-beta.2', '1.0.0-alpha.1', '1.0.0-beta'];
    const sorted = [...shuffled].sort(compareVersions).map((v) => cleanVersion(v));
    expect(sorted).toEqual(expected);
  });

  it('ignores build metadata and rejects non-versions', () => {
    expect(compareVersions('1.0.0+build.5', 'v1.0.0')).toBe(0);
    expect(parseVersion('latest')).toBeNull();
    expect(parseVersion('1.2')).toBeNull();
    expect(() => compareVersions('test', '1.0.0')).toThrow(/Not a semantic version: "test"/);
  });

  it('takes a tag for a version only when it is one: moving tags, digests and loose spellings are not', () => {
    for (const tag of ['latest', 'test', 'main', 'sha256:0123456789ab', '1.2.3beta', '01.2.3', 'v1', '']) expect({ tag, v: parseVersion(tag) }).toEqual({ tag, v: null });
    expect(cleanVersion('=1.2.0')).toBe('1.2.0');
    expect(cleanVersion(' v1.2.0-rc.1+build ')).toBe('1.2.0-rc.1');
  });

  it('includes the target and excludes the starting version', () => {
    expect(isInRange('1.2.0-broken', '1.1.0', '2.0.0')).toBe(true);
    expect(isInRange('1.1.0', '1.1.0', '2.0.0')).toBe(false);
    expect(isInRange('2.0.0', '1.1.0', '2.0.0')).toBe(true);
    expect(isInRange('2.0.1', '1.1.0', '2.0.0')).toBe(false);
    expect(isInRange('0.1.0', null, '2.0.0')).toBe(true);
  });
});
