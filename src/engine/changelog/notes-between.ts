// From parsed release notes to what one upgrade shows: the entries of every version after the running one, up to and
// including the target, breaking ones first. GlowWorm's commits never mark a breaking change, so the upgrade adds the
// ones it can prove itself (a deployment migration is needed, a table goes away) with the reason.
import type { ReleaseNoteEntry, ReleaseNotes } from './release-notes.js';
import { BREAKING_SECTION, entryKey, type ChangelogVersion } from './parse.js';
import { compareVersions, isInRange, parseVersion } from './version-order.js';

export const NO_RELEASE_NOTES = 'the image carries no release notes';

export interface ImpliedBreakingHints {
  deployMigrations: { name: string; description: string }[];
  removedTables: string[];
}

/** One version's entries, each once: a breaking note and its typed twin become one breaking entry in the typed section. */
function versionEntries(version: ChangelogVersion): ReleaseNoteEntry[] {
  const byKey = new Map<string, ReleaseNoteEntry>();
  for (const section of version.sections) {
    for (const entry of section.entries) {
      const key = entryKey(entry);
      const seen = byKey.get(key);
      if (!seen) {
        byKey.set(key, { section: section.title, scope: entry.scope, subject: entry.subject, hash: entry.hash, breaking: entry.breaking });
        continue;
      }
      seen.breaking ||= entry.breaking;
      seen.hash ??= entry.hash;
      if (seen.section === BREAKING_SECTION) seen.section = section.title;
    }
  }
  return [...byKey.values()];
}

export function releaseNotesBetween(parsed: ChangelogVersion[], fromVersion: string | null, toVersion: string): ReleaseNotes {
  const notes: ReleaseNotes = { from: fromVersion, to: toVersion, breaking: [], entries: [] };
  const unordered = [toVersion, fromVersion].find((v) => v !== null && parseVersion(v) === null);
  if (unordered) {
    notes.missing = `"${unordered}" is not a release version, so the release notes cannot be placed before or after it`;
    return notes;
  }
  const inRange = parsed
    .filter((v) => parseVersion(v.version) !== null && isInRange(v.version, fromVersion, toVersion))
    .sort((a, b) => compareVersions(b.version, a.version));
  if (inRange.length === 0) {
    notes.missing = parsed.length === 0
      ? NO_RELEASE_NOTES
      : `the release notes list no version after ${fromVersion ?? 'the first'} up to ${toVersion}`;
    return notes;
  }
  for (const version of inRange) {
    for (const entry of versionEntries(version)) (entry.breaking ? notes.breaking : notes.entries).push(entry);
  }
  return notes;
}

/**
 * Adds the breaking changes no commit declared: each pending deployment migration and each table the target schema
 * drops. They go first: they are what this upgrade will do to the user's deployment and data.
 */
export function markImpliedBreaking(notes: ReleaseNotes, hints: ImpliedBreakingHints): ReleaseNotes {
  const implied: ReleaseNoteEntry[] = [
    ...hints.deployMigrations.map((m) => ({
      section: 'Deployment changes',
      scope: null,
      subject: m.description,
      hash: null,
      breaking: true,
      breakingReason: `needs a deployment migration: ${m.name}`,
    })),
    ...hints.removedTables.map((table) => ({
      section: 'Database',
      scope: null,
      subject: `The table \`${table}\` is dropped by the new version's database migrations`,
      hash: null,
      breaking: true,
      breakingReason: `removes table ${table}`,
    })),
  ];
  return { ...notes, breaking: [...implied, ...notes.breaking] };
}
