import { describe, expect, it } from 'vitest';
import { releaseNotesBetween } from './notes-between.js';
import { parseChangelog } from './parse.js';

const PRESET_WITH_LINKS = `# Changelog

## [2.0.0](https://github.com/o/r/compare/v1.2.0-broken...v2.0.0) (2025-11-01)


### ⚠ BREAKING CHANGES

* **compose:** MySQL data moves to the named volume mysql_data; copy ./data/mysql
  into it before upgrading.
* the settings API answers 401 without a session

### Features

* **display:** sign display URLs ([#41](https://github.com/o/r/issues/41)) ([0a1b2c3](https://github.com/o/r/commit/0a1b2c3d4e5f))
* **api:** settings need a session ([9f8e7d6](https://github.com/o/r/commit/9f8e7d6)), closes [#12](https://github.com/o/r/issues/12) [#13](https://github.com/o/r/issues/13)

### Reverts

* "feat(ui): dark mode" ([1234abc](https://github.com/o/r/commit/1234abc))

# [1.2.0-broken](https://github.com/o/r/compare/v1.1.0...v1.2.0-broken) (2025-10-20)

### Bug Fixes

* fix typo in deadbeef handling
`;

const KEEP_A_CHANGELOG = `# Changelog
All notable changes to this project will be documented in this file.

## [Unreleased]
### Added
- Nothing yet.

## [1.1.0] - 2025-09-30
### Added
- Celery worker service.
- **BREAKING:** Redis is now required (\`REDIS_URL\`).
### Removed
- The \`/api/health\` path; use \`/health\`.

## [1.0.0] - 2025-08-01
### Fixed
- Uploads larger than 10 MB.

[unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
`;

describe('parseChangelog', () => {
  it('reads the preset markdown: links, closes lists, wrapped breaking notes, # and ## headings', () => {
    const [v2, v12] = parseChangelog(PRESET_WITH_LINKS);
    expect(v2).toMatchObject({ version: '2.0.0', date: '2025-11-01' });
    expect(v2!.sections.map((s) => s.title)).toEqual(['BREAKING CHANGES', 'Features', 'Reverts']);
    expect(v2!.sections[0]!.entries).toEqual([
      { scope: 'compose', subject: 'MySQL data moves to the named volume mysql_data; copy ./data/mysql into it before upgrading.', hash: null, breaking: true },
      { scope: null, subject: 'the settings API answers 401 without a session', hash: null, breaking: true },
    ]);
    expect(v2!.sections[1]!.entries).toEqual([
      { scope: 'display', subject: 'sign display URLs (#41)', hash: '0a1b2c3', breaking: false },
      { scope: 'api', subject: 'settings need a session', hash: '9f8e7d6', breaking: false },
    ]);
    expect(v2!.sections[2]!.entries[0]).toMatchObject({ subject: '"feat(ui): dark mode"', hash: '1234abc' });
    // A hex-looking word without a digit is part of the subject, not a hash.
    expect(v12).toMatchObject({ version: '1.2.0-broken', date: '2025-10-20' });
    expect(v12!.sections[0]!.entries[0]).toEqual({ scope: null, subject: 'fix typo in deadbeef handling', hash: null, breaking: false });
  });

  it('reads a hand-written Keep-a-Changelog file as best effort', () => {
    const parsed = parseChangelog(KEEP_A_CHANGELOG);
    expect(parsed.map((v) => [v.version, v.date])).toEqual([['Unreleased', null], ['1.1.0', '2025-09-30'], ['1.0.0', '2025-08-01']]);
    expect(parsed[1]!.sections).toEqual([
      {
        title: 'Added',
        entries: [
          { scope: null, subject: 'Celery worker service.', hash: null, breaking: false },
          { scope: null, subject: 'Redis is now required (`REDIS_URL`).', hash: null, breaking: true },
        ],
      },
      { title: 'Removed', entries: [{ scope: null, subject: 'The `/api/health` path; use `/health`.', hash: null, breaking: false }] },
    ]);
    const notes = releaseNotesBetween(parsed, '1.0.0', '1.1.0');
    expect(notes.breaking.map((e) => e.subject)).toEqual(['Redis is now required (`REDIS_URL`).']);
    expect(notes.entries.map((e) => e.section)).toEqual(['Added', 'Removed']);
  });

  it('returns nothing, without failing, for text that is not a changelog', () => {
    expect(parseChangelog('')).toEqual([]);
    expect(parseChangelog('# README\n\nSome text.\n* a bullet\n')).toEqual([]);
  });
});

describe('releaseNotesBetween', () => {
  const parsed = parseChangelog(PRESET_WITH_LINKS + KEEP_A_CHANGELOG.replace('# Changelog', ''));

  it('says why there are no notes instead of failing', () => {
    expect(releaseNotesBetween([], '1.0.0', '2.0.0').missing).toBe('the image carries no release notes');
    expect(releaseNotesBetween(parsed, '2.0.0', '3.0.0').missing).toBe('the release notes list no version after 2.0.0 up to 3.0.0');
    expect(releaseNotesBetween(parsed, null, 'latest').missing).toMatch(/"latest" is not a release version/);
  });

  it('takes every version after the running one up to the target, prereleases in semver order', () => {
    const notes = releaseNotesBetween(parsed, '1.1.0', '2.0.0');
    expect(notes.breaking.map((e) => e.subject.slice(0, 20))).toEqual(['MySQL data moves to ', 'the settings API ans']);
    expect(notes.entries.map((e) => e.subject.slice(0, 20))).toEqual([
      'sign display URLs (#', 'settings need a sess', '"feat(ui): dark mode', 'fix typo in deadbeef',
    ]);
    expect(releaseNotesBetween(parsed, null, '1.0.0').entries.map((e) => e.subject)).toEqual(['Uploads larger than 10 MB.']);
  });
});
