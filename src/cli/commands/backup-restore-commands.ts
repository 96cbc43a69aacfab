// `glowworm backup` and `glowworm restore FILE`: runs with events, plain or --json, confirmed by flags or a prompt.
import { engine } from '../../engine/engine.js';
import { userError } from '../../engine/errors.js';
import { commonArgs, parseCommand } from '../args.js';
import { resolveProject } from '../project-args.js';
import { drive, interruptSignal } from '../drive.js';
import { headlessRunIO } from '../run-io.js';
import { NOTIFY_HELP, NOTIFY_OPTION, notifyFrom } from '../notify/notify-option.js';

const tty = () => ({ stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });

export async function backupCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('backup', argv, { ...NOTIFY_OPTION });
  const common = commonArgs(values, tty());
  if (common.help) {
    process.stdout.write(`Usage: glowworm backup [project options] [--yes] [--json|--plain] [--notify URL]...\n\nStops the app, dumps the database, verifies the dump in a throwaway database, starts the app again.\n\n${NOTIFY_HELP}\n`);
    return 0;
  }
  const project = await resolveProject(common.project);
  const notify = await notifyFrom(values, project.projectDir);
  const io = headlessRunIO({ yes: common.yes, interactive: common.mode !== 'json' && !!process.stdin.isTTY, signal: interruptSignal() });
  return drive(engine.backup(project, io), common.mode === 'json' ? 'json' : 'plain', notify);
}

export async function restoreCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('restore', argv, { 'confirm-database': { type: 'string' } }, true);
  const common = commonArgs(values, tty());
  if (common.help) {
    process.stdout.write('Usage: glowworm restore FILE [project options] [--yes --confirm-database NAME] [--json|--plain]\n\nReplaces the database with a backup (the current one is backed up first).\n');
    return 0;
  }
  if (positionals.length !== 1) throw userError('usage.restore-file', 'glowworm restore needs exactly one backup file.', 'List them with `glowworm doctor backups`.');
  const io = headlessRunIO({
    yes: common.yes, interactive: common.mode !== 'json' && !!process.stdin.isTTY, signal: interruptSignal(),
    ...(values['confirm-database'] !== undefined ? { confirmDatabase: values['confirm-database'] } : {}),
  });
  return drive(engine.restore({ ...(await resolveProject(common.project)), file: positionals[0]! }, io), common.mode === 'json' ? 'json' : 'plain');
}
