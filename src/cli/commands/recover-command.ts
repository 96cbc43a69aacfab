// `glowworm recover`: the backend crash-loops on a release pulled and started by hand; put the version that worked
// back (plain or --json; confirmed by --yes or a prompt).
import { engine } from '../../engine/engine.js';
import { commonArgs, parseCommand } from '../args.js';
import { resolveProject } from '../project-args.js';
import { drive, interruptSignal } from '../drive.js';
import { headlessRunIO } from '../run-io.js';
import { NOTIFY_HELP, NOTIFY_OPTION, notifyFrom } from '../notify/notify-option.js';

export const RECOVER_HELP = `Usage: glowworm recover [project options] [--yes] [--json|--plain] [--notify URL]...

When the backend restart-loops because a release's migration failed (the image was pulled and started by hand):
finds the version that worked on this engine (an image whose Alembic head is the database's revision), takes and
verifies a backup, removes exactly what the failed revision created (never what was there before it), points the
compose file at the working image, runs the backend and its workers on it again, and verifies.

${NOTIFY_HELP}`;

export async function recoverCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('recover', argv, { ...NOTIFY_OPTION });
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write(RECOVER_HELP + '\n');
    return 0;
  }
  const project = await resolveProject(common.project);
  const notify = await notifyFrom(values, project.projectDir);
  const io = headlessRunIO({ yes: common.yes, interactive: common.mode !== 'json' && !!process.stdin.isTTY, signal: interruptSignal() });
  return drive(engine.recover(project, io), common.mode === 'json' ? 'json' : 'plain', notify);
}
