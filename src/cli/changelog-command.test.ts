import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChangelogCommand } from './changelog-command.js';

function run(argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = runChangelogCommand(argv, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
  return code.then((exitCode) => ({ exitCode, ...out }));
}

describe('glowworm changelog', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'glowworm-cli-changelog-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
    git('init', '-q', '-b', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'feat(upload): upload images');
    git('tag', 'v1.0.0');
    git('commit', '-q', '--allow-empty', '-m', 'fix(db): create missing tables');
    git('tag', 'v1.0.1');
  });

  it('prints the notes on stdout', async () => {
    const result = await run(['--generate', '--repo', repo]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^## 1\.0\.1 \(\d{4}-\d{2}-\d{2}\)\n\n### Bug Fixes\n\n\* \*\*db:\*\* create missing tables [0-9a-f]{7}\n/);
    expect(result.stdout).toContain('## 1.0.0 (');
    expect(result.stderr).toBe('');
  });

  it('writes --output FILE, honouring --from/--to given as --flag=value', async () => {
    const file = join(repo, 'CHANGELOG.md');
    const result = await run(['--generate', `--repo=${repo}`, '--from=v1.0.0', '--to', 'v1.0.1', '--output', file]);
    expect(result).toMatchObject({ exitCode: 0, stdout: '', stderr: `Wrote the release notes to ${file}.\n` });
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('create missing tables');
    expect(written).not.toContain('upload images');
  });

  it('exits 2 with a clear message on bad input', async () => {
    const notRepo = mkdtempSync(join(tmpdir(), 'glowworm-cli-not-git-'));
    expect(await run(['--generate', '--repo', notRepo])).toMatchObject({
      exitCode: 2,
      stderr: `glowworm changelog: ${notRepo} is not a git repository.\n  Pass --repo with the directory of a git checkout.\n`,
    });
    expect(await run(['--generate', '--repo', repo, '--to', 'v7.0.0'])).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining(`Unknown git ref "v7.0.0" in ${repo}.`),
    });
    expect(await run(['--repo', repo])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('needs --generate') });
    expect(await run(['--generate', '--frm', 'v1'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('Unknown option "--frm"') });
    expect(await run(['--generate', '--from'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--from needs a value') });
    expect(await run(['--generate', '--release-count', 'two'])).toMatchObject({ exitCode: 2 });
  });

  it('shows its usage with --help', async () => {
    const result = await run(['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage: glowworm changelog --generate');
  });
});
