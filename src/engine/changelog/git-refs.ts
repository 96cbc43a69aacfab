// The few plain git questions release-note generation asks before it hands the repository to conventional-changelog:
// is this a repository, does a ref exist, which commits lie in a range. Each failure becomes a user error that names
// the directory or ref, because the library itself only reports git's exit status.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { userError } from '../errors.js';
import { compareVersions, parseVersion } from './version-order.js';

const execFileAsync = promisify(execFile);

async function git(repoDir: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd: repoDir, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

async function succeeds(repoDir: string, args: string[]): Promise<boolean> {
  try {
    await git(repoDir, args);
    return true;
  } catch {
    return false;
  }
}

export async function assertGitRepository(repoDir: string): Promise<void> {
  if (!(await succeeds(repoDir, ['rev-parse', '--git-dir']))) {
    throw userError('changelog.not-a-repo', `${repoDir} is not a git repository.`, 'Pass --repo with the directory of a git checkout.');
  }
  if (!(await succeeds(repoDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']))) {
    throw userError('changelog.no-commits', `The git repository ${repoDir} has no commits yet.`);
  }
}

/** The full commit hash a ref names; a user error when the ref does not exist. */
export async function resolveCommit(repoDir: string, ref: string): Promise<string> {
  // A ref starting with '-' would be read as an option by git.
  if (!ref.startsWith('-')) {
    try {
      return await git(repoDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    } catch {
      // fall through to the user error below
    }
  }
  throw userError('changelog.unknown-ref', `Unknown git ref "${ref}" in ${repoDir}.`, 'List the release tags with `git tag --list "v*"`.');
}

export async function isAncestor(repoDir: string, ancestor: string, descendant: string): Promise<boolean> {
  return succeeds(repoDir, ['merge-base', '--is-ancestor', ancestor, descendant]);
}

/** Hashes of the commits reachable from `to` but not from `from`. */
export async function commitsInRange(repoDir: string, from: string | null, to: string): Promise<Set<string>> {
  const out = await git(repoDir, ['rev-list', from ? `${from}..${to}` : to]);
  return new Set(out.split('\n').filter(Boolean));
}

/** Whether a version tag (`v1.2.0`, `1.2.0-rc.1`) points at the commit. */
export async function hasVersionTag(repoDir: string, commit: string): Promise<boolean> {
  const tags = await git(repoDir, ['tag', '--points-at', commit]);
  return tags.split('\n').some((tag) => parseVersion(tag) !== null);
}

/** Version tags in the history of `commit`, newest version first. */
export async function versionTagsBefore(repoDir: string, commit: string): Promise<string[]> {
  const tags = await git(repoDir, ['tag', '--merged', commit]);
  return tags
    .split('\n')
    .filter((tag) => parseVersion(tag) !== null)
    .sort((a, b) => compareVersions(b, a));
}

/** The `origin` remote's URL, which gives the notes their commit and compare links; null without one. */
export async function originUrl(repoDir: string): Promise<string | null> {
  try {
    return (await git(repoDir, ['config', '--get', 'remote.origin.url'])) || null;
  } catch {
    return null;
  }
}
