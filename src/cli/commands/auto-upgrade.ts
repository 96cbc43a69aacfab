// `glowworm upgrade --auto`, for a systemd timer or cron: check the registry; when an update exists, upgrade to it
// with the rehearsal and without a question (as --rehearse --yes). The rehearsal runs the new migrations on the
// verified backup's copy first: when they fail there, production is not touched (the running version starts
// again, its database as it was), the run exits 1 and the notification says which revision failed and why.
import type { UpgradeRequest, UpgradeRunIO } from '../../engine/api.js';
import { engine } from '../../engine/engine.js';
import { userError } from '../../engine/errors.js';
import type { TagFilter } from '../../engine/registry/release-tags.js';
import type { Mode } from '../args.js';
import { drive, interruptSignal } from '../drive.js';
import { ExitCode } from '../exit-codes.js';
import type { NotifyTarget } from '../notify/targets.js';
import { deliver } from '../notify/deliver.js';
import { checkFailedNotification } from '../notify/message.js';
import { checkExitCode, checkText } from './check-command.js';

/** Flags that contradict "check, then rehearse and upgrade to what check found". */
const CONFLICTS = ['to', 'resume', 'rollback', 'no-backup', 'no-pull'] as const;

export async function autoUpgrade(
  request: UpgradeRequest,
  values: Record<string, unknown>,
  opts: { mode: Exclude<Mode, 'tui'>; filter: TagFilter; notify: NotifyTarget[]; unattended: (yes: () => Promise<boolean>) => UpgradeRunIO['confirm'] },
): Promise<number> {
  const conflict = CONFLICTS.find((flag) => values[flag]);
  if (conflict) throw userError('usage.auto-conflict', `--auto decides the target itself and always backs up and rehearses: it cannot be combined with --${conflict}.`, 'Drop the flag, or run the upgrade by hand.');
  const report = await engine.check({ projectDir: request.projectDir, files: request.files ?? [], filter: opts.filter });
  // What check found goes to stderr under --json: stdout carries only the upgrade's NDJSON events.
  (opts.mode === 'json' ? process.stderr : process.stdout).write(checkText(report) + '\n');
  if (!report.upgradeTo) {
    const code = checkExitCode(report);
    if (code === ExitCode.external && opts.notify.length) await deliver(opts.notify, checkFailedNotification(report));
    // A moved tag of a service other than the backend's image is named above; nothing here to upgrade unattended.
    return code === ExitCode.updateAvailable ? ExitCode.ok : code;
  }
  const events = engine.upgrade(
    { ...request, toTag: report.upgradeTo.toTag, rehearse: true, backup: true, pull: true, resume: false, rollback: false },
    { confirm: opts.unattended(async () => true), signal: interruptSignal() },
  );
  return drive(events, opts.mode, opts.notify);
}
