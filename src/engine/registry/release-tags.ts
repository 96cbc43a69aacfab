// Reading a repository's tag list. Where tags are versions they are ordered as versions (semver precedence); real
// GlowWorm publishes only the moving `latest` and `test`, so nothing here may depend on a tag being a version: a
// non-version running tag simply has no "newer" tags, and the moved digest (check.ts) is the signal that counts.
import { cleanVersion, compareVersions, parseVersion } from '../changelog/version-order.js';

export interface TagFilter {
  /** Only tags this matches count (`^1\.` stays on the 1.x line). */
  pattern?: RegExp | null;
  /** Prerelease versions (`1.2.0-rc.1`) count too; by default they do not. */
  prereleases?: boolean;
}

/** The version tags newer than `running`, newest first; none when `running` is not a version. */
export function newerReleases(tags: string[], running: string | null, filter: TagFilter = {}): string[] {
  if (!running || !parseVersion(running)) return [];
  return tags
    .filter((t) => parseVersion(t) && (filter.prereleases || parseVersion(t)!.prerelease.length === 0))
    .filter((t) => !filter.pattern || filter.pattern.test(t))
    .filter((t) => compareVersions(t, running) > 0)
    .sort((a, b) => compareVersions(b, a) || a.localeCompare(b));
}

/** The tags most like `wanted`, closest first: the same version spelled otherwise (`v1.1.0` → `1.1.0`) leads. */
export function nearestTags(tags: string[], wanted: string, count = 5): string[] {
  const wantedVersion = parseVersion(wanted);
  const score = (tag: string): number => {
    if (cleanVersion(tag) !== null && cleanVersion(tag) === cleanVersion(wanted)) return -1;
    const v = parseVersion(tag);
    if (wantedVersion && v) {
      return Math.abs(v.major - wantedVersion.major) * 1e6 + Math.abs(v.minor - wantedVersion.minor) * 1e3 + Math.min(Math.abs(v.patch - wantedVersion.patch), 999) + (v.prerelease.length ? 0.5 : 0);
    }
    return 1e9 + editDistance(tag.toLowerCase(), wanted.toLowerCase());
  };
  return [...new Set(tags)].map((t) => [t, score(t)] as const).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, count).map(([t]) => t);
}

/** Levenshtein distance (tags are short: the quadratic table is nothing). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
