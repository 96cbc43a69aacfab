// Semantic-version order, by the `semver` package, for tags that ARE semantic versions. Release notes and deployment
// migrations both need "newer than X, up to and including Y" over tags like `v1.2.0` and prerelease tags like
// `v1.2.0-broken` (which sort BEFORE `v1.2.0`); build metadata (`+…`) is ignored, as semver.org §10 says.
// Real GlowWorm releases move tags like `latest` and `test` and carry no version label: those are not versions,
// parseVersion says so (null), and every caller orders them another way (by digest and Alembic head), never by
// how a tag is spelled.
import semver from 'semver';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers (`rc.1` → ['rc', 1]); empty for a release. */
  prerelease: readonly (string | number)[];
}

/** `v1.2.0-broken` → its parts; null when it is not a semantic version (`latest`, `test`, a digest, `1.2`). */
export function parseVersion(text: string): Version | null {
  return parse(text);
}

/** Strict semver (a `1.2.3beta` is no version), which allows a leading `v`; a leading `=` is allowed too. */
function parse(text: string): semver.SemVer | null {
  return semver.parse(text.trim().replace(/^=/, ''));
}

/** The version without a leading `v`/`=` or build metadata: `v2.0.0+x` → `2.0.0`. */
export function cleanVersion(text: string): string | null {
  const v = parseVersion(text);
  if (!v) return null;
  const core = `${v.major}.${v.minor}.${v.patch}`;
  return v.prerelease.length ? `${core}-${v.prerelease.join('.')}` : core;
}

/** Negative when a < b, 0 when equal in precedence, positive when a > b. Throws on a non-version. */
export function compareVersions(a: string, b: string): number {
  const va = parse(a);
  const vb = parse(b);
  if (!va || !vb) throw new Error(`Not a semantic version: "${va ? b : a}"`);
  return semver.compare(va, vb);
}

/** Whether `version` is in (from, to]; a null `from` means "from the beginning". */
export function isInRange(version: string, from: string | null, to: string): boolean {
  return (from === null || compareVersions(version, from) > 0) && compareVersions(version, to) <= 0;
}
