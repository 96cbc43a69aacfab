// `glowworm upgrade`: flags → engine options; the plan is confirmed by --yes, a prompt, or the TUI.
import type { EngineApi } from '../../engine/api.js';
import { engine } from '../../engine/engine.js';
import { userError } from '../../engine/errors.js';
import type { Plan } from '../../engine/plan/plan.js';
import { commonArgs, parseCommand, parseSeconds, PROJECT_OPTIONS_HELP } from '../args.js';
import { resolveProject } from '../project-args.js';
import { askAfter, headlessConfirm } from '../confirm.js';
import { drive, interruptSignal } from '../drive.js';
import { NOTIFY_HELP, NOTIFY_OPTION, notifyFrom } from '../notify/notify-option.js';
import { followRun, type FollowedRun } from '../run-followup.js';
import { WrittenEvents } from '../written-events.js';
import { autoUpgrade } from './auto-upgrade.js';
import { TAG_FILTER_OPTIONS, tagFilter } from './check-command.js';

export const UPGRADE_HELP = `Usage: glowworm upgrade [project options] [--to TAG] [--yes] [--json|--plain]
                        [--resume | --rollback] [--rehearse] [--no-backup] [--no-pull] [--timeout SECONDS]
                        [--notify URL]...
       glowworm upgrade --auto [--project-dir DIR] [--tags REGEX] [--prereleases] [--notify URL]... [--json]

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
  --force         with --yes: upgrade even to the image the backend already crash-loops on
  --timeout S     how long the backend may take to migrate and start (default 600)
  --auto          unattended (a timer, cron): \`glowworm check\`, and when an update exists upgrade to it as
                  --rehearse --yes; a failed rehearsal leaves production untouched (exit 1). Up to date: exit 0.
                  --tags REGEX / --prereleases choose which version tags count, as for check
${NOTIFY_HELP}`;

/**
 * --yes confirms what a person would have read; a plan going to the image the backend already crash-loops on is the
 * one thing it does not confirm alone (the warning is in the plan), unless --force says so.
 */
function unattended(confirm: () => Promise<boolean>, force: boolean): (plan: Plan) => Promise<boolean> {
  return async (plan) => {
    const loop = plan.crashLoopingTarget;
    if (loop && !force) {
      throw userError('upgrade.crash-looping-target', `${loop.service} already crash-loops here on ${loop.image}, the image this upgrade goes to: it would fail the same way.`,
        'Wait for a release that fixes it, or go back to the version that worked (`glowworm upgrade --to <its tag>`); pass --force to try this image anyway.');
    }
    return confirm();
  };
}

export async function upgradeCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('upgrade', argv, {
    to: { type: 'string' },
    resume: { type: 'boolean' },
    rollback: { type: 'boolean' },
    'no-backup': { type: 'boolean' },
    rehearse: { type: 'boolean' },
    'no-pull': { type: 'boolean' },
    timeout: { type: 'string' },
    force: { type: 'boolean' },
    auto: { type: 'boolean' },
    ...TAG_FILTER_OPTIONS,
    ...NOTIFY_OPTION,
  });
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write(`${UPGRADE_HELP}\n\n${PROJECT_OPTIONS_HELP}\n`);
    return 0;
  }
  const interactive = common.mode !== 'json' && !!process.stdin.isTTY;
  const request = {
    ...(await resolveProject(common.project)),
    toTag: values.to ?? null,
    backup: !values['no-backup'],
    rehearse: !!values.rehearse,
    pull: !values['no-pull'],
    resume: !!values.resume,
    rollback: !!values.rollback,
    timeoutMs: parseSeconds('timeout', values.timeout, 600),
  };
  const notify = await notifyFrom(values, request.projectDir);
  if (!values.auto && (values.tags !== undefined || values.prereleases)) {
    throw userError('usage.tags-without-auto', '--tags and --prereleases choose the target of --auto; a plain upgrade goes to --to TAG or the compose file\'s tags.', 'Add --auto, or name the tag with --to.');
  }
  if (values.auto) {
    return autoUpgrade(request, values, { mode: common.mode === 'json' ? 'json' : 'plain', filter: await tagFilter(values, request.projectDir), notify, unattended: (yes) => unattended(yes, !!values.force) });
  }
  if (common.mode === 'tui') {
    // The screens consume the run; its record and notification follow the same stream.
    const followed: FollowedRun[] = [];
    const tapped: EngineApi = {
      ...engine,
      upgrade: (req, io) => {
        const run = followRun(engine.upgrade(req, io), notify);
        followed.push(run);
        return run.events;
      },
    };
    const code = await (await import('../tui.js')).runUpgradeTui(request, tapped, { yes: common.yes });
    for (const run of followed) await run.finish();
    return code;
  }
  // The question waits until the plain writer has written the plan: the engine asks as soon as it has emitted it.
  const written = new WrittenEvents();
  const events = engine.upgrade(
    request,
    {
      confirm: common.yes || !interactive ? unattended(headlessConfirm(common.yes), !!values.force) : () => askAfter(written.until('plan.ready'), 'Upgrade now?'),
      signal: interruptSignal(),
    },
  );
  return drive(events, common.mode === 'json' ? 'json' : 'plain', notify, written.mark);
}
