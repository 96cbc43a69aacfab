// `glowworm reset`: the wizard in a terminal; without one only with `--yes --confirm-database NAME`. A name that
// does not match the database is refused (exit 2) before anything is stopped, backed up or deleted.
import type { ProjectOptions } from '../../engine/api.js';
import { engine } from '../../engine/engine.js';
import { userError } from '../../engine/errors.js';
import { commonArgs, parseCommand } from '../args.js';
import { resolveProject } from '../project-args.js';
import { drive, interruptSignal } from '../drive.js';
import { ExitCode } from '../exit-codes.js';
import { headlessRunIO } from '../run-io.js';

export const RESET_HELP = `Usage: glowworm reset [project options]                                       the wizard (needs a terminal)
       glowworm reset --yes --confirm-database NAME [--json|--plain]              without a terminal

The last resort, when the database cannot be repaired: after you type its name, takes a backup while the app serves
and verifies it, stops the app and copies what changed since into that backup (no verified backup, no reset; with a
table that is not InnoDB the app is stopped before the backup), drops and recreates the database, starts the backend
and follows its migrations from zero, verifies, and prints the command that restores the backup (glowworm restore FILE).`;

/** The name check, up front: refuse before the run stops the app or takes a backup. */
async function refuseWrongName(project: ProjectOptions, typed: string): Promise<void> {
  const { database } = await engine.status(project);
  if (database.name !== null && database.name !== typed) {
    throw userError('confirm.wrong-name', `--confirm-database "${typed}" does not match the database "${database.name}"; nothing was changed.`,
      `Pass --confirm-database ${database.name} if you really mean to delete everything in it.`);
  }
}

export async function resetCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('reset', argv, { 'confirm-database': { type: 'string' } });
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write(RESET_HELP + '\n');
    return ExitCode.ok;
  }
  const project: ProjectOptions = await resolveProject(common.project);
  const confirmDatabase = values['confirm-database'];
  const headless = common.yes || confirmDatabase !== undefined || common.mode !== 'tui';
  if (!headless) return (await import('../tui.js')).runResetTui(project, engine);
  if (!common.yes || confirmDatabase === undefined) {
    throw userError('usage.reset-needs-confirmation', 'Without the wizard, a reset needs both --yes and --confirm-database NAME.',
      'Pass --yes --confirm-database <the database name> (see `glowworm doctor status`), or run `glowworm reset` in a terminal.');
  }
  await refuseWrongName(project, confirmDatabase);
  const io = headlessRunIO({ yes: true, interactive: false, confirmDatabase, signal: interruptSignal() });
  return drive(engine.reset(project, io), common.mode === 'json' ? 'json' : 'plain');
}
