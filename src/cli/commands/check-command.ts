// `glowworm check`: whether a newer release or a moved tag waits in the registry, asked of its HTTP API (nothing is
// pulled, nothing changes). Exit 0 up to date, 7 an update is available, 4 the registry could not be asked.
// `--plan` then pulls the update's images and shows its plan, without touching a container.
import type { CheckReport } from '../../engine/api.js';
import { engine } from '../../engine/engine.js';
import { userError } from '../../engine/errors.js';
import type { TagFilter } from '../../engine/registry/release-tags.js';
import { commonArgs, parseCommand } from '../args.js';
import { resolveProject } from '../project-args.js';
import { configPath, readProjectConfig } from '../project-config.js';
import { drive } from '../drive.js';
import { ExitCode } from '../exit-codes.js';
import { deliver } from '../notify/deliver.js';
import { updateNotification } from '../notify/message.js';
import { NOTIFY_HELP, NOTIFY_OPTION, notifyFrom } from '../notify/notify-option.js';

export const CHECK_HELP = `Usage: glowworm check [--project-dir DIR] [-f FILE]... [--json] [--tags REGEX] [--prereleases] [--plan]
                      [--notify URL]...

Asks the registry (its HTTP API, with the credentials of a pull) whether each GlowWorm image's tag moved (the same
tag now names another image) and which newer version tags exist, newest first. Pulls nothing, changes nothing.

  --tags REGEX    only version tags matching REGEX count as newer (e.g. '^1\\.' stays on the 1.x line)
  --prereleases   prerelease versions (1.2.0-rc.1) count as newer too
                  (both also as tags: and prereleases: in .glowworm/config)
  --plan          when there is an update: pull its images and show the upgrade's plan (no container is touched)
${NOTIFY_HELP} (check notifies only when an update is available.)

Exit codes: 0 up to date, 7 update available, 4 the registry could not be asked (docs/exit-codes.md).`;

export const TAG_FILTER_OPTIONS = { tags: { type: 'string' }, prereleases: { type: 'boolean' } } as const;

/** --tags and --prereleases, else `tags:` and `prereleases:` of .glowworm/config. */
export async function tagFilter(values: { tags?: string | undefined; prereleases?: boolean | undefined }, projectDir: string): Promise<TagFilter> {
  const config = await readProjectConfig(projectDir);
  const source = values.tags ?? config.tags;
  let pattern: RegExp | null = null;
  if (source !== null) {
    try {
      pattern = new RegExp(source);
    } catch (error) {
      throw userError('usage.bad-tags', `${values.tags !== undefined ? '--tags' : `tags: in ${configPath(projectDir)}`} needs a regular expression: ${(error as Error).message}`, "e.g. --tags '^1\\.'");
    }
  }
  return { pattern, prereleases: values.prereleases ?? config.prereleases ?? false };
}

/** 7 when something is newer; 4 when nothing is and an image could not be checked (it may be the one that moved). */
export function checkExitCode(report: CheckReport): number {
  if (report.updateAvailable) return ExitCode.updateAvailable;
  return report.images.some((i) => i.error) ? ExitCode.external : ExitCode.ok;
}

export function checkText(report: CheckReport): string {
  const lines = [`${report.project.name} (${report.project.dir})`];
  for (const i of report.images) {
    lines.push(`  ${i.image}  (${i.services.join(', ')})`);
    if (i.error) {
      lines.push(`    ✘ could not check: ${i.error}`);
      continue;
    }
    const short = (d: string | null) => (d ? d.slice(0, 19) : 'none');
    if (i.registryDigest === null) lines.push(`    ! the registry has no tag ${i.tag ?? '(none)'}`);
    else if (i.tagMoved === null) lines.push(`    ? tag ${i.tag}: the registry has ${short(i.registryDigest)}; the running image has no registry digest to compare (built here?)`);
    else if (i.tagMoved) lines.push(`    ↑ tag ${i.tag} moved: the registry has ${short(i.registryDigest)}, this host runs ${i.runningDigests.map(short).join(', ')}`);
    else lines.push(`    ✔ tag ${i.tag}: the registry's image is the running one (${short(i.registryDigest)})`);
    if (i.newer.length) lines.push(`    ↑ newer: ${i.newer.join(', ')}`);
  }
  const to = report.upgradeTo;
  lines.push(!report.updateAvailable ? 'Up to date.'
    : to?.toTag ? `Update available: glowworm upgrade --to ${to.toTag}` : 'Update available: glowworm upgrade (pulls the moved tags)');
  return lines.join('\n');
}

export async function checkCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('check', argv, { ...TAG_FILTER_OPTIONS, ...NOTIFY_OPTION, plan: { type: 'boolean' } });
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write(CHECK_HELP + '\n');
    return ExitCode.ok;
  }
  const project = await resolveProject(common.project);
  const filter = await tagFilter(values, project.projectDir);
  const notify = await notifyFrom(values, project.projectDir);
  const report = await engine.check({ ...project, filter });
  const code = checkExitCode(report);
  process.stdout.write((common.mode === 'json' ? JSON.stringify({ v: 1, type: 'check.report', ...report }) : checkText(report)) + '\n');
  if (report.updateAvailable && notify.length) await deliver(notify, updateNotification(report));
  if (values.plan && report.updateAvailable) {
    // The upgrade's own preflight (pull, read the image, plan), answered "no" at the plan: nothing is changed.
    await drive(engine.upgrade({ ...project, toTag: report.upgradeTo?.toTag ?? null }, { confirm: async () => false }), common.mode === 'json' ? 'json' : 'plain');
    if (common.mode !== 'json') process.stdout.write('check --plan: the upgrade above was only planned and cancelled at its question; no container was touched.\n');
  }
  return code;
}
