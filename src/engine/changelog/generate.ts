// Release notes from Conventional Commits, through conventional-changelog's Node API and the conventionalcommits
// preset: one `## <version> (<date>)` block per version tag (prerelease tags like `v1.2.0-broken` included), sections
// Features / Bug Fixes / Performance Improvements / Reverts, `### ⚠ BREAKING CHANGES` where commits say so.
// GlowWorm's commits never say so; notes-between.ts adds what they leave out.
import { resolve } from 'node:path';
import { ConventionalChangelog, defaultCommitTransform } from 'conventional-changelog';
import { userError } from '../errors.js';
import {
  assertGitRepository,
  commitsInRange,
  hasVersionTag,
  isAncestor,
  originUrl,
  resolveCommit,
  versionTagsBefore,
} from './git-refs.js';

export interface GenerateChangelogOptions {
  repoDir: string;
  /** Start after this ref (usually the previous release tag); default: see `releaseCount`. */
  from?: string;
  /** End at this ref (a tag, branch or commit reachable from HEAD); default HEAD. */
  to?: string;
  /** How many releases back to go when `from` is not given; 0 (the default) means all of them. */
  releaseCount?: number;
}

// Only these hosts have commit/compare URL formats in the preset; for any other remote the links would be broken.
const LINKABLE_HOST = /github|gitlab|bitbucket/i;

export async function generateChangelog(options: GenerateChangelogOptions): Promise<string> {
  const repoDir = resolve(options.repoDir);
  await assertGitRepository(repoDir);
  const head = await resolveCommit(repoDir, 'HEAD');
  if (options.from) await resolveCommit(repoDir, options.from);
  const end = options.to ? await resolveCommit(repoDir, options.to) : head;
  // conventional-changelog always walks back from HEAD; an earlier end is cut out of that walk below.
  if (end !== head && !(await isAncestor(repoDir, end, head))) {
    throw userError(
      'changelog.ref-not-in-history',
      `"${options.to}" is not in the history of the checked-out commit (HEAD) of ${repoDir}.`,
      `Check out a branch that contains "${options.to}" and run again.`,
    );
  }
  // A tagged end is a release; an untagged one gets its commits under "Unreleased".
  const endIsRelease = await hasVersionTag(repoDir, end);
  const from = options.from ?? (await startOfLastReleases(repoDir, end, endIsRelease, options.releaseCount ?? 0));
  const kept = end === head ? null : await commitsInRange(repoDir, from ?? null, end);
  const remote = await originUrl(repoDir);

  const generator = new ConventionalChangelog(repoDir)
    // Resolve the preset from this package (where it is a dependency), not from wherever the loader lives.
    .loadPreset('conventionalcommits', (name: string) => import(name))
    .options({
      releaseCount: 0,
      outputUnreleased: !endIsRelease,
      transformCommit: (commit, params) =>
        kept && !(typeof commit.hash === 'string' && kept.has(commit.hash)) ? null : defaultCommitTransform(commit, params),
    });
  if (from) generator.commits({ from });
  if (remote && LINKABLE_HOST.test(remote)) generator.repository(remote);
  else generator.context({ linkCompare: false, linkReferences: false });
  if (!endIsRelease) generator.context({ version: 'Unreleased' });

  let markdown = '';
  for await (const chunk of generator.write()) markdown += chunk;
  return markdown.replace(/^\n+/, '');
}

/**
 * The tag before the last `count` releases up to `end` (undefined: from the beginning). The library counts releases
 * from HEAD and counts the unreleased block as one even when it is empty; counting here keeps `count` honest for any end.
 */
async function startOfLastReleases(repoDir: string, end: string, endIsRelease: boolean, count: number): Promise<string | undefined> {
  if (count <= 0) return undefined;
  const tags = await versionTagsBefore(repoDir, end);
  return tags[endIsRelease ? count : count - 1];
}
