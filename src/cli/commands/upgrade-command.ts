// `glowworm upgrade`: flags → engine options; the plan is confirmed by --yes, a prompt, or the TUI.
import { engine } from '../../engine/engine.js';
import { commonArgs, parseCommand, parseSeconds } from '../args.js';
import { askYesNo, headlessConfirm } from '../confirm.js';
import { drive, interruptSignal } from '../drive.js';

export const UPGRADE_HELP = `Usage: glowworm upgrade [--project-dir DIR] [-f FILE]... [--to TAG] [--yes] [--json|--plain]
                        [--resume | --rollback] [--rehearse] [--no-backup] [--no-pull] [--timeout SECONDS]

Plans the upgrade (pulling the new images to read their migrations and release notes), asks you to confirm,
stops the app, takes and verifies a backup, recreates the containers, follows the migrations, verifies, and
rolls back when anything fails.

  --to TAG        upgrade the GlowWorm images to TAG (the compose file is updated); default: the file's tags
  --resume        continue an upgrade that was interrupted (Ctrl-C, crash)
  --rollback      put everything back from an interrupted upgrade
  --rehearse      first run the new migrations on the restored backup (a throwaway copy on an isolated
                  network); if that fails, the real upgrade does not start
  --no-backup     skip the backup (then a failed migration cannot be undone)
  --no-pull       use the images already on this engine
  --timeout S     how long the backend may take to migrate and start (default 600)`;

export async function upgradeCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('upgrade', argv, {
    to: { type: 'string' },
    resume: { type: 'boolean' },
    rollback: { type: 'boolean' },
    'no-backup': { type: 'boolean' },
    rehearse: { type: 'boolean' },
    'no-pull': { type: 'boolean' },
    timeout: { type: 'string' },
  });
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write(UPGRADE_HELP + '\n');
    return 0;
  }
  const interactive = common.mode !== 'json' && !!process.stdin.isTTY;
  const request = {
    projectDir: common.projectDir,
    files: common.files,
    toTag: values.to ?? null,
    backup: !values['no-backup'],
    rehearse: !!values.rehearse,
    pull: !values['no-pull'],
    resume: !!values.resume,
    rollback: !!values.rollback,
    timeoutMs: parseSeconds('timeout', values.timeout, 600),
  };
  if (common.mode === 'tui') return (await import('../tui.js')).runUpgradeTui(request, engine, { yes: common.yes });
  const events = engine.upgrade(
    request,
    {
      // The plain writer has already printed the plan (plan.ready comes before the question).
      confirm: common.yes || !interactive ? headlessConfirm(common.yes) : () => askYesNo('Upgrade now?'),
      signal: interruptSignal(),
    },
  );
  return drive(events, common.mode === 'json' ? 'json' : 'plain');
}
