import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR } from './paths.js';
import { runChecked } from './process.js';
import { generateChangelog as generateReleaseNotes } from '../../src/engine/changelog/generate.js';
import type { RigVersion } from './releases.js';

export const RELEASE_COMMITS_FILE = join(FIXTURES_DIR, 'backend', 'release-commits.json');
// Only used to render commit and compare links in the notes; nothing is fetched from it.
const REPOSITORY_URL = 'https://github.com/nstephens/glowworm.git';

interface ReleaseCommits {
  releases: { tag: string; date: string; commits: string[] }[];
}

/**
 * Writes CHANGELOG.md text for the repository's checked-out HEAD with glowworm's own generator — the code behind
 * `glowworm changelog --generate`, which is what a GlowWorm image build would run to bake its notes in.
 */
export async function generateChangelog(repoDir: string): Promise<string> {
  return generateReleaseNotes({ repoDir });
}

/** Identifies the generator in image recipe hashes, so a changed generator rebuilds the images. */
export const CHANGELOG_GENERATOR = 'glowworm changelog --generate (src/engine/changelog/generate.ts)';

function git(repoDir: string, args: string[], date?: string): Promise<unknown> {
  const identity = { GIT_AUTHOR_NAME: 'GlowWorm Dev', GIT_AUTHOR_EMAIL: 'dev@glowworm.invalid' };
  const env = {
    ...process.env,
    ...identity,
    GIT_COMMITTER_NAME: identity.GIT_AUTHOR_NAME,
    GIT_COMMITTER_EMAIL: identity.GIT_AUTHOR_EMAIL,
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  };
  return runChecked('git', ['-C', repoDir, '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { env });
}

/** A throwaway git repository holding the fixture history, one tag per release. Caller removes it. */
async function buildHistoryRepo(): Promise<string> {
  const data = JSON.parse(readFileSync(RELEASE_COMMITS_FILE, 'utf8')) as ReleaseCommits;
  const repoDir = mkdtempSync(join(tmpdir(), 'glowworm-rig-history-'));
  await git(repoDir, ['init', '-q', '-b', 'main']);
  await git(repoDir, ['remote', 'add', 'origin', REPOSITORY_URL]);
  for (const release of data.releases) {
    const releaseTime = Date.parse(release.date);
    for (const [index, message] of release.commits.entries()) {
      // Spread the commits over the days before the release so the log reads like a real one.
      const when = new Date(releaseTime - (release.commits.length - index) * 3_600_000).toISOString();
      await git(repoDir, ['commit', '-q', '--allow-empty', '-m', message], when);
    }
    await git(repoDir, ['tag', '-a', release.tag, '-m', release.tag], release.date);
  }
  return repoDir;
}

/** CHANGELOG.md of every version, as each version's image ships it (history up to its own tag). */
export async function changelogsByVersion(versions: readonly RigVersion[]): Promise<Map<RigVersion, string>> {
  const repoDir = await buildHistoryRepo();
  try {
    const changelogs = new Map<RigVersion, string>();
    for (const version of versions) {
      await git(repoDir, ['checkout', '-q', `v${version}`]);
      changelogs.set(version, await generateChangelog(repoDir));
    }
    return changelogs;
  } finally {
    rmSync(repoDir, { recursive: true, force: true });
  }
}
