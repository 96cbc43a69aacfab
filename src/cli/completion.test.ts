// The completion scripts run in the real shells: bash with COMP_WORDS/COMP_CWORD as readline sets them, zsh with the
// completion system's builtins (compadd, _describe, _files) replaced by functions that print what they were given.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCTOR_HELP } from './commands/doctor-command.js';
import { UPGRADE_HELP } from './commands/upgrade-command.js';
import { bashScript, commandCompletion, flagsIn, parseShell, SELF, wordsIn, zshScript, type CommandCompletion } from './completion.js';

const commands: CommandCompletion[] = [
  commandCompletion('upgrade', 'Plan, back up: upgrade', UPGRADE_HELP, ['--project-dir', '-f']),
  commandCompletion('doctor', "Guided troubleshooting (it's a menu)", DOCTOR_HELP),
  commandCompletion('restore', 'Restore a backup file', 'Usage: glowworm restore FILE [--yes --confirm-database NAME]'),
  SELF,
];
const dir = mkdtempSync(join(tmpdir(), 'gw-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bash(words: string[]): string[] {
  const script = join(dir, 'glowworm.bash');
  writeFileSync(script, bashScript(commands));
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _glowworm; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/** What zsh's completion would be offered (the stubs print it; real compadd would then filter by $PREFIX). */
function zsh(words: string[]): string[] {
  const script = join(dir, '_glowworm');
  writeFileSync(script, zshScript(commands));
  const prefix = words[words.length - 1]!;
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const stubs = `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }; _describe() { print -rl -- "\${(@P)4}"; }; _files() { print -- "FILES $*"; }`;
  const out = execFileSync('zsh', ['-f', '-c', `${stubs}; source ${script}; words=(${quoted}); CURRENT=${words.length}; PREFIX='${prefix}'; _glowworm`], { cwd: dir, encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

describe('flags and subcommands from the help texts', () => {
  it('reads every flag of upgrade --help, and adds --help and --version', () => {
    const flags = flagsIn(UPGRADE_HELP);
    for (const f of ['--to', '--resume', '--rollback', '--rehearse', '--no-backup', '--timeout', '--auto', '--notify', '--help', '--version']) expect(flags).toContain(f);
    expect(flags.filter((f) => !/^--?[a-z]/i.test(f))).toEqual([]);
  });

  it("reads the doctor's subcommands from its table, and none for a command whose usage names no verb", () => {
    expect(wordsIn('doctor', DOCTOR_HELP)).toEqual(['status', 'alembic-current', 'alembic-history', 'verify-schema', 'migrate', 'logs', 'backups', 'history']);
    expect(wordsIn('upgrade', UPGRADE_HELP)).toEqual([]);
  });

  it('takes bash or zsh and names both for anything else', () => {
    expect(parseShell(['zsh'])).toBe('zsh');
    expect(() => parseShell(['fish'])).toThrow(/bash or zsh \(got "fish"\)/);
    expect(() => parseShell([])).toThrow(/one shell/);
  });
});

describe('bash', () => {
  it('completes commands, flags, subcommands and directories', () => {
    expect(bash(['glowworm', 'u'])).toEqual(['upgrade']);
    expect(bash(['glowworm', '--v'])).toEqual(['--version']);
    expect(bash(['glowworm', 'upgrade', '--re']).sort()).toEqual(['--rehearse', '--resume']);
    expect(bash(['glowworm', 'upgrade', '--project-d'])).toEqual(['--project-dir']);
    expect(bash(['glowworm', 'doctor', 'alembic-'])).toEqual(['alembic-current', 'alembic-history']);
    expect(bash(['glowworm', 'completion', ''])).toEqual(['bash', 'zsh']);
    writeFileSync(join(dir, 'docker-compose.yml'), '');
    expect(bash(['glowworm', 'upgrade', '--project-dir', ''])).toEqual([]); // directories only: the folder has none
    expect(bash(['glowworm', 'upgrade', '-f', 'dock'])).toEqual(['docker-compose.yml']);
  });
});

describe('zsh', () => {
  it('offers the commands with their descriptions, flags, subcommands and files', () => {
    expect(zsh(['glowworm', ''])).toEqual([
      'upgrade:Plan, back up\\: upgrade', "doctor:Guided troubleshooting (it's a menu)", 'restore:Restore a backup file', `completion:${SELF.description}`,
    ]);
    expect(zsh(['glowworm', 'upgrade', '--re'])).toEqual(expect.arrayContaining(['--rehearse', '--resume', '--project-dir', '-f', '--version']));
    expect(zsh(['glowworm', 'doctor', ''])).toContain('verify-schema');
    expect(zsh(['glowworm', 'restore', ''])).toEqual(['FILES ']);
    expect(zsh(['glowworm', 'upgrade', '--project-dir', ''])).toEqual(['FILES -/']);
  });
});
