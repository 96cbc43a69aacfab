// argv → command and mode (tui | plain | json). The only module that calls process.exit. The UI (ink, react) is
// imported lazily, only for interactive screens, so `glowworm --version` and headless runs stay fast.
import { readFileSync } from 'node:fs';
import { toGlowwormError } from '../engine/errors.js';
import type { CommandName } from '../engine/events.js';
import { ExitCode } from './exit-codes.js';
import { dropOutputErrors } from './hangup.js';
import { COMMON_OPTIONS, PROJECT_OPTIONS_HELP } from './args.js';
import { exitOnSignalsAsPidOne } from './pid-one.js';

// Each command module is imported only when used, so `--version` and `--help` load almost nothing.
const HANDLERS: Record<string, ((argv: string[]) => Promise<number>) | undefined> = {
  upgrade: async (argv) => (await import('./commands/upgrade-command.js')).upgradeCommand(argv),
  status: async (argv) => (await import('./commands/status-command.js')).statusCommand(argv),
  backup: async (argv) => (await import('./commands/backup-restore-commands.js')).backupCommand(argv),
  restore: async (argv) => (await import('./commands/backup-restore-commands.js')).restoreCommand(argv),
  'deploy-migrations': async (argv) => (await import('./commands/deploy-migrations-command.js')).deployMigrationsCommand(argv),
  changelog: async (argv) => (await import('./changelog-command.js')).runChangelogCommand(argv),
  doctor: async (argv) => (await import('./commands/doctor-command.js')).doctorCommand(argv),
  reset: async (argv) => (await import('./commands/reset-command.js')).resetCommand(argv),
  recover: async (argv) => (await import('./commands/recover-command.js')).recoverCommand(argv),
  check: async (argv) => (await import('./commands/check-command.js')).checkCommand(argv),
  history: async (argv) => (await import('./commands/history-command.js')).historyCommand(argv),
};

const COMMANDS: Record<string, string> = {
  upgrade: 'Plan, back up, recreate, migrate and verify an upgrade; roll back on failure',
  doctor: 'Guided troubleshooting: status, Alembic, schema, logs, backups',
  reset: 'Last-resort database reset wizard (verified backup first)',
  recover: 'The backend crash-loops on a release pulled by hand: put the version that worked back',
  status: 'Show containers, images, health and the database revision',
  check: 'Ask the registry whether a newer release or a moved tag waits (exit 7); pulls nothing',
  history: 'Every run of this project: when, from -> to, outcome, downtime, migration durations',
  backup: 'Take a verified backup of the database now',
  restore: 'Restore a backup file into the database',
  changelog: 'Generate release notes from conventional commits (for maintainers)',
  'deploy-migrations': 'List, preview or revert the compose/.env changes releases need',
  completion: 'Print a shell completion script: glowworm completion bash|zsh',
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** `--version`/`-V` anywhere before a `--`: every command answers it as the top level does. */
function asksVersion(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--version' || a === '-V');
}

/** `glowworm completion bash|zsh`: each command's flags are read from its own --help (src/cli/completion.ts). */
async function completionCommand(argv: string[]): Promise<number> {
  const c = await import('./completion.js');
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(c.COMPLETION_HELP + '\n');
    return ExitCode.ok;
  }
  const shell = c.parseShell(argv);
  const commands = [];
  for (const [name, run] of Object.entries(HANDLERS)) {
    // Every command but changelog (the maintainers' one, with its own parser) takes the shared options (args.ts).
    const shared = name === 'changelog' ? [] : Object.entries(COMMON_OPTIONS).flatMap(([long, o]) => [`--${long}`, ...('short' in o ? [`-${o.short}`] : [])]);
    commands.push(c.commandCompletion(name, COMMANDS[name]!, await c.captureStdout(() => run!(['--help'])), shared));
  }
  process.stdout.write(c.completionScript(shell, [...commands, c.SELF]));
  return ExitCode.ok;
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const rows = Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(width)} ${text}`);
  return [
    'glowworm: the compose-aware upgrade assistant for GlowWorm',
    '',
    'Usage: glowworm <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    PROJECT_OPTIONS_HELP,
    '',
    'Common options:',
    '  --yes               answer yes to confirmations (needed without a terminal)',
    '  --json              NDJSON events on stdout, one per line',
    '  --version, --help',
    '',
    'Exit codes: see docs/exit-codes.md',
  ].join('\n');
}

export async function main(argv: string[]): Promise<void> {
  // Before anything is written: a reader of our output that goes away (`| head`) must not end a run mid-way.
  dropOutputErrors();
  exitOnSignalsAsPidOne();
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(help() + '\n');
    process.exit(command ? ExitCode.ok : ExitCode.usage);
  }
  if (command === '--version' || command === '-V' || (command in COMMANDS && asksVersion(rest))) {
    process.stdout.write(version() + '\n');
    process.exit(ExitCode.ok);
  }
  if (!(command in COMMANDS)) {
    process.stderr.write(`glowworm: unknown command "${command}". Run "glowworm --help" for the list.\n`);
    process.exit(ExitCode.usage);
  }
  try {
    const run = command === 'completion' ? completionCommand : HANDLERS[command];
    if (!run) {
      process.stderr.write(`glowworm ${command}: not yet implemented in this build.\n`);
      process.exit(ExitCode.usage);
    }
    process.exit(await run(rest));
  } catch (error) {
    if (rest.includes('--json')) {
      const { EVENT_STREAM_COMMANDS, jsonRefusal } = await import('./json-refusal.js');
      if (EVENT_STREAM_COMMANDS.has(command)) process.exit(await jsonRefusal(command as CommandName, error));
    }
    const e = toGlowwormError(error);
    process.stderr.write(`glowworm ${command}: ${e.message}\n${e.hint ? `${e.hint}\n` : ''}`);
    process.exit(e.kind === 'user' ? ExitCode.usage : e.kind === 'bug' ? ExitCode.bug : ExitCode.external);
  }
}
