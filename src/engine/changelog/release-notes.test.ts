// End to end over a real git repository made here: conventional commits and version tags (one a prerelease) →
// generateChangelog → parseChangelog → releaseNotesBetween → markImpliedBreaking.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateChangelog } from './generate.js';
import { markImpliedBreaking, releaseNotesBetween } from './notes-between.js';
import { parseChangelog } from './parse.js';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
}

/** A GlowWorm-like history: conventional commits, and (as in the real project) hardly any marked breaking. */
function makeRepo(): { dir: string; hash: (subject: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'glowworm-changelog-'));
  git(dir, 'init', '-q', '-b', 'main');
  const commit = (message: string) => git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  commit('chore: initial import');
  commit('feat(upload): upload images by drag and drop');
  commit('fix(db): create missing tables at start-up');
  git(dir, 'tag', 'v1.0.0');
  commit('feat(display): show the playlist on displays');
  commit('perf(api): cache the settings');
  commit('docs: explain the setup script');
  git(dir, 'tag', 'v1.1.0');
  commit('feat(scheduler): schedule playlists');
  commit('fix(auth)!: drop legacy tokens');
  git(dir, 'tag', 'v1.2.0-broken');
  commit('fix(compose): move MySQL data back to the named volume');
  commit('feat(display): sign display URLs');
  git(dir, 'tag', 'v2.0.0');
  commit('feat(ui): dark mode');
  return { dir, hash: (subject) => git(dir, 'log', '--format=%h', '--abbrev=7', '--fixed-strings', `--grep=${subject}`) };
}

const headings = (markdown: string) => markdown.split('\n').filter((line) => line.startsWith('## '));

describe('release notes from a git repository', () => {
  let repo: ReturnType<typeof makeRepo>;
  beforeAll(() => {
    repo = makeRepo();
  });

  it('generates one block per version tag, newest first, with the unreleased commits on top', async () => {
    const markdown = await generateChangelog({ repoDir: repo.dir });
    expect(headings(markdown).map((h) => h.replace(/ \(\d{4}-\d{2}-\d{2}\)$/, ''))).toEqual([
      '## Unreleased', '## 2.0.0', '## 1.2.0-broken', '## 1.1.0', '## 1.0.0',
    ]);
    expect(markdown).toContain('### ⚠ BREAKING CHANGES\n\n* **auth:** drop legacy tokens\n');
    expect(markdown).toContain(`### Performance Improvements\n\n* **api:** cache the settings ${repo.hash('cache the settings')}\n`);
    // docs and chore commits are hidden by the preset.
    expect(markdown).not.toContain('setup script');
  });

  it('cuts the range with --from and --to, and counts releases', async () => {
    const range = await generateChangelog({ repoDir: repo.dir, from: 'v1.1.0', to: 'v1.2.0-broken' });
    expect(headings(range).map((h) => h.slice(0, 16))).toEqual(['## 1.2.0-broken ']);
    expect(range).toContain('schedule playlists');
    expect(range).not.toContain('sign display URLs');
    expect(range).not.toContain('cache the settings');
    const lastTwo = await generateChangelog({ repoDir: repo.dir, to: 'v2.0.0', releaseCount: 2 });
    expect(headings(lastTwo).map((h) => h.split(' ')[1])).toEqual(['2.0.0', '1.2.0-broken']);
  });

  it('parses what it generated, hashes and breaking marks included', async () => {
    const parsed = parseChangelog(await generateChangelog({ repoDir: repo.dir }));
    expect(parsed.map((v) => v.version)).toEqual(['Unreleased', '2.0.0', '1.2.0-broken', '1.1.0', '1.0.0']);
    expect(parsed[1]!.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const broken = parsed[2]!;
    expect(broken.sections.map((s) => s.title)).toEqual(['BREAKING CHANGES', 'Features', 'Bug Fixes']);
    // The breaking note and its typed twin are linked: both breaking, both with the commit's hash.
    const tokens = repo.hash('drop legacy tokens');
    expect(broken.sections[0]!.entries).toEqual([{ scope: 'auth', subject: 'drop legacy tokens', hash: tokens, breaking: true }]);
    expect(broken.sections[2]!.entries).toEqual([{ scope: 'auth', subject: 'drop legacy tokens', hash: tokens, breaking: true }]);
    expect(broken.sections[1]!.entries).toEqual([
      { scope: 'scheduler', subject: 'schedule playlists', hash: repo.hash('schedule playlists'), breaking: false },
    ]);
  });

  it('gives the notes between two versions, breaking first, including what no commit declared', async () => {
    const parsed = parseChangelog(await generateChangelog({ repoDir: repo.dir }));
    const notes = releaseNotesBetween(parsed, '1.1.0', '2.0.0');
    expect(notes.missing).toBeUndefined();
    expect(notes.breaking).toEqual([
      { section: 'Bug Fixes', scope: 'auth', subject: 'drop legacy tokens', hash: repo.hash('drop legacy tokens'), breaking: true },
    ]);
    expect(notes.entries.map((e) => `${e.section}: ${e.subject}`)).toEqual([
      'Features: sign display URLs',
      'Bug Fixes: move MySQL data back to the named volume',
      'Features: schedule playlists',
    ]);

    const marked = markImpliedBreaking(notes, {
      deployMigrations: [{ name: '001-2.0.0-display-signing-key', description: 'Add DISPLAY_SIGNING_KEY to .env and the backend' }],
      removedTables: ['device_logs'],
    });
    expect(marked.breaking.map((e) => e.breakingReason ?? `declared: ${e.subject}`)).toEqual([
      'needs a deployment migration: 001-2.0.0-display-signing-key',
      'removes table device_logs',
      'declared: drop legacy tokens',
    ]);
    expect(marked.breaking[0]).toMatchObject({ subject: 'Add DISPLAY_SIGNING_KEY to .env and the backend', breaking: true, hash: null });
    expect(marked.entries).toEqual(notes.entries);
  });

  it('links hashes for a GitHub remote and the parser reads them back', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'glowworm-changelog-clone-'));
    git(clone, 'clone', '-q', repo.dir, '.');
    git(clone, 'remote', 'set-url', 'origin', 'https://github.com/nstephens/glowworm.git');
    const markdown = await generateChangelog({ repoDir: clone, to: 'v2.0.0', releaseCount: 1 });
    const hash = repo.hash('sign display URLs');
    expect(markdown).toContain('## [2.0.0](https://github.com/nstephens/glowworm/compare/v1.2.0-broken...v2.0.0)');
    expect(markdown).toContain(`* **display:** sign display URLs ([${hash}](https://github.com/nstephens/glowworm/commit/`);
    expect(parseChangelog(markdown)[0]!.sections[0]!.entries[0]).toEqual({ scope: 'display', subject: 'sign display URLs', hash, breaking: false });
  });

  it('says clearly when the directory or a ref is wrong', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'glowworm-not-git-'));
    await expect(generateChangelog({ repoDir: empty })).rejects.toMatchObject({ kind: 'user', code: 'changelog.not-a-repo' });
    await expect(generateChangelog({ repoDir: repo.dir, from: 'v9.9.9' })).rejects.toMatchObject({
      kind: 'user',
      code: 'changelog.unknown-ref',
      message: `Unknown git ref "v9.9.9" in ${repo.dir}.`,
    });
    await expect(generateChangelog({ repoDir: repo.dir, to: '--help' })).rejects.toMatchObject({ code: 'changelog.unknown-ref' });
  });
});
