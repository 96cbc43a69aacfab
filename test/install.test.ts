// The install a self-hoster does without this checkout: `npm pack` (prepare builds dist/), then `npm install -g` of
// the tarball into a clean prefix, then the installed bin run from an unrelated directory, through npm's symlink.
// The pack runs in a copy of the checkout (support/private-checkout.ts): its prepare rebuilds dist/ there, not under
// the integration files running beside this one.
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateCheckout } from './support/private-checkout.js';

const exec = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

describe('npm pack → npm install -g --prefix (a clean prefix) → glowworm', () => {
  const work = mkdtempSync(join(tmpdir(), 'gw-install-'));
  const prefix = join(work, 'prefix');
  const elsewhere = mkdtempSync(join(tmpdir(), 'gw-install-cwd-'));
  const checkout = privateCheckout('install');
  let tarball: string;
  let files: string[];
  const bin = join(prefix, 'bin', 'glowworm');
  // Only the prefix's bin and node itself on PATH: nothing of this checkout can be found by accident.
  const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${join(process.execPath, '..')}` };

  beforeAll(async () => {
    const packed = await exec('npm', ['pack', '--json', '--pack-destination', work], { cwd: checkout.dir, maxBuffer: 64 << 20 });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, info!.filename);
    files = info!.files.map((f) => f.path);
    await exec('npm', ['install', '--global', '--prefix', prefix, '--omit=dev', '--no-audit', '--no-fund', tarball], { cwd: elsewhere });
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
    checkout.remove();
  });

  it('has a name of its own on the registry (`glowworm` there is another package) and the glowworm bin', () => {
    expect(pkg.name).not.toBe('glowworm');
    expect(Object.keys(pkg.bin)).toEqual(['glowworm']);
  });

  it('packs the built CLI and the deployment migrations, not the tests', () => {
    expect(files).toContain('bin/glowworm');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files.some((f) => f.startsWith('dist/migrations/'))).toBe(true);
    expect(files.filter((f) => /(^|\/)test\/|\.test\.|\.map$/.test(f))).toEqual([]);
  });

  it('installs the bin as a link into the prefix, which runs from any directory', async () => {
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    expect(realpathSync(bin).startsWith(realpathSync(join(prefix, 'lib', 'node_modules', pkg.name)))).toBe(true);
    const version = await exec('glowworm', ['--version'], { cwd: elsewhere, env });
    expect(version.stdout.trim()).toBe(pkg.version);
    const upgradeVersion = await exec('glowworm', ['upgrade', '--version'], { cwd: '/', env });
    expect(upgradeVersion.stdout.trim()).toBe(pkg.version);
    const help = await exec('glowworm', ['status', '--help'], { cwd: elsewhere, env });
    expect(help.stdout).toMatch(/^Usage: glowworm status/);
  });

  it('prints completion scripts that bash and zsh load, with every command and its flags', async () => {
    const script = (await exec('glowworm', ['completion', 'bash'], { cwd: elsewhere, env })).stdout;
    const words = await exec('bash', ['-c', 'eval "$1"; COMP_WORDS=(glowworm restore --con); COMP_CWORD=2; _glowworm; echo "${COMPREPLY[@]}"', 'bash', script]);
    expect(words.stdout.trim()).toBe('--confirm-database');
    const zsh = (await exec('glowworm', ['completion', 'zsh'], { cwd: elsewhere, env })).stdout;
    const loaded = await exec('zsh', ['-f', '-c', `autoload -Uz compinit; compinit -u -d ${join(work, 'zcompdump')}; eval "$1"; print -r -- $_comps[glowworm]`, 'zsh', zsh]);
    expect(loaded.stdout.trim()).toBe('_glowworm');
    for (const command of ['upgrade', 'doctor', 'check', 'history', 'deploy-migrations', 'completion']) expect(script).toContain(`    ${command}) opts="`);
  });

  it('installed its runtime dependencies and none of the dev ones', () => {
    const modules = join(prefix, 'lib', 'node_modules', pkg.name, 'node_modules');
    for (const dep of ['dockerode', 'mysql2', 'ink', 'yaml']) expect(existsSync(join(modules, dep)), dep).toBe(true);
    for (const dev of ['vitest', 'typescript', 'tsx']) expect(existsSync(join(modules, dev)), dev).toBe(false);
  });

  it('refuses a command it does not know with the way to the list (exit 2)', async () => {
    const r = await exec('glowworm', ['upgarde'], { cwd: elsewhere, env }).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 2 });
    expect((r as { stderr: string }).stderr).toContain('glowworm --help');
  });
});
