// Markdown release notes → data. Reads what generate.ts writes (the conventionalcommits preset: `## [1.2.0](url) (date)`,
// `### ⚠ BREAKING CHANGES`, `* **scope:** subject ([abc1234](url)), closes [#12](url)`) and, as best effort, a
// hand-written Keep-a-Changelog file (`## [1.2.0] - 2025-01-31`, `### Added`, `- subject`). Anything else is skipped,
// never an error: release notes are information, not a precondition of an upgrade.

export interface ChangelogEntry {
  scope: string | null;
  subject: string;
  hash: string | null;
  breaking: boolean;
}

export interface ChangelogSection {
  title: string;
  entries: ChangelogEntry[];
}

export interface ChangelogVersion {
  /** As written, without a leading `v`: `1.2.0`, `1.2.0-broken`, or `Unreleased`. */
  version: string;
  date: string | null;
  sections: ChangelogSection[];
}

export const BREAKING_SECTION = 'BREAKING CHANGES';
/** Entries written straight under a version heading, without a section heading. */
const UNTITLED_SECTION = 'Changes';

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
// `[1.2.0](url)`, `[1.2.0]`, `v1.2.0`, `1.2.0-rc.1`, `Unreleased`; then anything (title, date).
const VERSION_HEADING = /^\[?(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?|unreleased)\]?(?:\([^)]*\))?(.*)$/i;
const DATE = /\b(\d{4}-\d{2}-\d{2})\b/;
const BULLET = /^[*+-]\s+(.*)$/;
const LINK_DEFINITION = /^\s*\[[^\]]+\]:\s+\S/;
const SCOPE = /^\*\*([^*]+?):\*\*\s*/;
// `([abc1234](https://…/commit/abc1234…))` as the preset links it, or a bare short hash at the end (no repository).
const LINKED_HASH = /\s*\(\[([0-9a-f]{7,40})\]\([^)]*\)\)/;
const BARE_HASH = /\s+([0-9a-f]{7,40})$/;
const CLOSES = /,?\s+closes\s+.*$/i;
const INLINE_BREAKING = /^(?:\*\*)?(?:⚠\s*)?BREAKING(?:\s+CHANGES?)?(?:\*\*)?\s*[:!-]?(?:\*\*)?\s*/;
const MARKDOWN_LINK = /\[([^\]]*)\]\([^)]*\)/g;

function parseVersionHeading(text: string): { version: string; date: string | null } | null {
  const match = VERSION_HEADING.exec(text.trim());
  if (!match) return null;
  const raw = match[1]!;
  const version = /^unreleased$/i.test(raw) ? 'Unreleased' : raw.replace(/^v/, '');
  return { version, date: DATE.exec(match[2] ?? '')?.[1] ?? null };
}

function sectionTitle(text: string): string {
  // `⚠ BREAKING CHANGES` → `BREAKING CHANGES`; emoji or punctuation before a title are decoration.
  return text.replace(/^[^\p{L}\p{N}]+/u, '').trim();
}

function isBreakingTitle(title: string): boolean {
  return /breaking/i.test(title);
}

function parseEntry(text: string, inBreakingSection: boolean): ChangelogEntry {
  let rest = text.trim();
  let breaking = inBreakingSection;
  const inline = INLINE_BREAKING.exec(rest);
  if (inline && inline[0].length > 0) {
    breaking = true;
    rest = rest.slice(inline[0].length);
  }
  let scope: string | null = null;
  const scopeMatch = SCOPE.exec(rest);
  if (scopeMatch) {
    scope = scopeMatch[1]!.trim();
    rest = rest.slice(scopeMatch[0].length);
  }
  let hash: string | null = null;
  const linked = LINKED_HASH.exec(rest);
  if (linked) {
    hash = linked[1]!;
    rest = rest.slice(0, linked.index) + rest.slice(linked.index + linked[0].length);
  }
  rest = rest.replace(CLOSES, '');
  if (!hash) {
    const bare = BARE_HASH.exec(rest);
    // A bare hex word only counts as a hash when it carries a digit: "fix typo in deadbeef" is a subject.
    if (bare && /\d/.test(bare[1]!)) {
      hash = bare[1]!;
      rest = rest.slice(0, bare.index);
    }
  }
  const subject = rest.replace(MARKDOWN_LINK, '$1').replace(/\s+/g, ' ').trim();
  return { scope, subject, hash, breaking };
}

/** Identity of an entry inside one version: the same scope and subject are the same change. */
export function entryKey(entry: Pick<ChangelogEntry, 'scope' | 'subject'>): string {
  return `${entry.scope ?? ''}\u0000${entry.subject.toLowerCase()}`;
}

/**
 * The preset lists a `feat!:` commit twice: as a note under BREAKING CHANGES (no hash) and under its type. Mark the
 * typed entry breaking and give the note its hash, so either view is complete.
 */
function linkBreakingTwins(version: ChangelogVersion): void {
  const notes = version.sections.filter((s) => isBreakingTitle(s.title)).flatMap((s) => s.entries);
  if (notes.length === 0) return;
  const byKey = new Map(notes.map((note) => [entryKey(note), note]));
  for (const section of version.sections) {
    if (isBreakingTitle(section.title)) continue;
    for (const entry of section.entries) {
      const note = byKey.get(entryKey(entry));
      if (!note) continue;
      entry.breaking = true;
      note.hash ??= entry.hash;
    }
  }
}

export function parseChangelog(markdown: string): ChangelogVersion[] {
  const versions: ChangelogVersion[] = [];
  let version: ChangelogVersion | null = null;
  let section: ChangelogSection | null = null;
  // Text of the bullet being read; continuation lines (wrapped BREAKING CHANGE bodies) are appended to it.
  let pending: string | null = null;

  const flushEntry = () => {
    if (pending === null || !version) return;
    if (!section) {
      section = { title: UNTITLED_SECTION, entries: [] };
      version.sections.push(section);
    }
    const entry = parseEntry(pending, isBreakingTitle(section.title));
    if (entry.subject) section.entries.push(entry);
    pending = null;
  };

  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = HEADING.exec(line);
    if (heading) {
      flushEntry();
      const parsed = parseVersionHeading(heading[2]!);
      if (parsed) {
        version = { ...parsed, sections: [] };
        versions.push(version);
        section = null;
      } else if (version && heading[2]) {
        section = { title: sectionTitle(heading[2]), entries: [] };
        version.sections.push(section);
      }
      continue;
    }
    if (!version || LINK_DEFINITION.test(line)) continue;
    const bullet = BULLET.exec(line);
    if (bullet) {
      flushEntry();
      pending = bullet[1]!;
    } else if (line.trim() === '') {
      flushEntry();
    } else if (pending !== null) {
      pending += ' ' + line.trim().replace(BULLET, '$1');
    }
  }
  flushEntry();

  for (const v of versions) {
    v.sections = v.sections.filter((s) => s.entries.length > 0);
    linkBreakingTwins(v);
  }
  return versions;
}
