// `glowworm changelog --generate [--repo DIR] [--from REF] [--to REF] [--release-count N] [--output FILE]`: release
// notes for maintainers, from Conventional Commits (the file images carry as /app/CHANGELOG.md). Returns the exit
// code; main.ts owns process.exit.
import { writeFile } from 'node:fs/promises';
import { generateChangelog, type GenerateChangelogOptions } from '../engine/changelog/generate.js';
import { outcomeForError } from '../engine/commands/run-command.js';
import { toGlowwormError, userError } from '../engine/errors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

export const CHANGELOG_USAGE = `Usage: glowworm changelog --generate [options]

Release notes (markdown) from the Conventional Commits of a git repository, one section per version tag
(vX.Y.Z, prereleases included), newest first; commits after the last tag go under "Unreleased".

Options:
  --repo DIR           the git checkout (default: current directory)
  --from REF           start after this ref, e.g. the previous release tag (default: the first commit)
  --to REF             end at this ref (default: HEAD)
  --release-count N    only the last N releases (default: all)
  --output FILE        write to FILE instead of stdout
  -h, --help           this text`;

export interface CommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface ChangelogArgs {
  help: boolean;
  generate: boolean;
  output: string | null;
  options: GenerateChangelogOptions;
}

const VALUE_FLAGS = ['--repo', '--from', '--to', '--output', '--release-count'] as const;

function parseArgs(argv: string[]): ChangelogArgs {
  const args: ChangelogArgs = { help: false, generate: false, output: null, options: { repoDir: process.cwd() } };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--generate') args.generate = true;
    else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw userError('cli.missing-value', `${flag} needs a value.`, 'Run `glowworm changelog --help`.');
      if (flag === '--repo') args.options.repoDir = value;
      else if (flag === '--from') args.options.from = value;
      else if (flag === '--to') args.options.to = value;
      else if (flag === '--output') args.output = value;
      else args.options.releaseCount = releaseCount(value);
    } else {
      throw userError('cli.unknown-option', `Unknown option "${argv[i]}" for glowworm changelog.`, 'Run `glowworm changelog --help`.');
    }
  }
  return args;
}

function releaseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw userError('cli.bad-value', `--release-count takes a whole number, not "${value}".`);
  return Number(value);
}

export async function runChangelogCommand(argv: string[], output: CommandOutput = processOutput): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      output.stdout(CHANGELOG_USAGE + '\n');
      return ExitCode.ok;
    }
    if (!args.generate) throw userError('cli.nothing-to-do', 'glowworm changelog needs --generate.', 'Run `glowworm changelog --help`.');
    const markdown = await generateChangelog(args.options);
    if (args.output === null) {
      output.stdout(markdown);
    } else {
      await writeFile(args.output, markdown);
      output.stderr(`Wrote the release notes to ${args.output}.\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    const e = toGlowwormError(error);
    output.stderr(`glowworm changelog: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
    return exitCodeFor(outcomeForError(e));
  }
}
