// Semantic-version order without a dependency. Release notes and deployment migrations both need "newer than X, up to
// and including Y" over tags like `v1.2.0` and prerelease tags like `v1.2.0-broken` (which sort BEFORE `v1.2.0`).
// Precedence follows semver.org §11; build metadata (`+…`) is ignored.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers (`rc.1` → ['rc', 1]); empty for a release. */
  prerelease: (string | number)[];
}

const VERSION = /^[v=]?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

/** `v1.2.0-broken` → its parts; null when it is not a semantic version (`latest`, `test`, a digest). */
export function parseVersion(text: string): Version | null {
  const match = VERSION.exec(text.trim());
  if (!match) return null;
  const [, major, minor, patch, pre] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: pre ? pre.split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [],
  };
}

/** The version without a leading `v`/`=` or build metadata: `v2.0.0+x` → `2.0.0`. */
export function cleanVersion(text: string): string | null {
  const v = parseVersion(text);
  if (!v) return null;
  const core = `${v.major}.${v.minor}.${v.patch}`;
  return v.prerelease.length ? `${core}-${v.prerelease.join('.')}` : core;
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrerelease(a: Version['prerelease'], b: Version['prerelease']): number {
  // A release is newer than any of its prereleases.
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareIdentifiers(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** Negative when a < b, 0 when equal in precedence, positive when a > b. Throws on a non-version. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) throw new Error(`Not a semantic version: "${va ? b : a}"`);
  return va.major - vb.major || va.minor - vb.minor || va.patch - vb.patch || comparePrerelease(va.prerelease, vb.prerelease);
}

/** Whether `version` is in (from, to]; a null `from` means "from the beginning". */
export function isInRange(version: string, from: string | null, to: string): boolean {
  return (from === null || compareVersions(version, from) > 0) && compareVersions(version, to) <= 0;
}
