// `--to TAG` retags the GlowWorm images where compose reads them. The engine writes the main compose file (and the
// env file) after the deployment migrations (docs/architecture.md, change 8); an image written anywhere else — an
// override file that pins it, or a variable from the environment or the env file — would stay where it is, and the
// plan would say "1.1.0 → 1.1.0" for the backend while the rest moves on. So such a plan is refused before anything is
// pulled or changed, naming the file (and line) to edit.
import { basename } from 'node:path';
import { parseImageRef, repositoryKey } from '../compose/index.js';
import { imageSettings, type ImageSetting } from '../compose/image-source.js';
import { ComposeDocument } from '../deploy-migrations/compose-edit.js';
import { userError } from '../errors.js';
import type { ComposeProject } from '../compose/index.js';
import type { ObservedState } from '../plan/observed-state.js';

const APP_ROLES = ['backend', 'worker', 'frontend'];

function appServices(observed: ObservedState): string[] {
  return Object.values(observed.services).filter((s) => APP_ROLES.includes(s.role) && s.compose.image).map((s) => s.name);
}

/** Refuses a retag to `tag` that the main compose file cannot carry: see the file's head. */
export async function refuseUneditableImages(observed: ObservedState, tag: string): Promise<void> {
  const settings = await imageSettings(observed.project.composeFiles);
  for (const service of appServices(observed)) {
    const setting = settings[service];
    const image = observed.services[service]!.compose.image!;
    if (!setting) {
      throw userError('plan.image-not-editable', `The image of ${service} (${image}) is not written in any of the compose files (${observed.project.composeFiles.join(', ')}), so glowworm cannot retag it to :${tag}.`,
        `Give ${service} an "image:" line in ${observed.project.composeFiles[0]} and run the upgrade again.`);
    }
    if (setting.fileIndex !== 0) throw setInOtherFile(service, image, setting, observed.project, tag);
    if (setting.variables.length) throw setByVariable(service, setting, observed.project, tag);
  }
}

/**
 * After the edits: every app service must end on the image the plan pulled. When the target project says otherwise,
 * something the engine does not write decides the image; say which file it is instead of failing later as a bug.
 */
export async function refuseImageMismatch(target: ComposeProject, intended: Record<string, string>): Promise<void> {
  const settings = await imageSettings(target.composeFiles);
  for (const [service, ref] of Object.entries(intended)) {
    if (!target.services[service]) continue; // a service the release removes runs nothing
    const actual = target.services[service].image;
    if (actual === ref) continue;
    const setting = settings[service];
    const where = setting ? `${setting.file} sets it to "${setting.written}"` : 'no compose file sets it';
    throw userError('plan.image-not-editable', `The upgrade would run ${service} on ${actual ?? 'no image'}, not ${ref}: ${where}, and glowworm edits only ${target.composeFiles[0]}.`,
      setting ? `Edit the image of ${service} in ${setting.file} (or remove it there) and run the upgrade again.` : undefined);
  }
}

function setInOtherFile(service: string, image: string, setting: ImageSetting, project: ComposeProject, tag: string) {
  const main = project.composeFiles[0]!;
  return userError('plan.image-in-override',
    `The image of ${service} (${image}) is set in ${setting.file}${lineOf(setting)}, not in ${main}: glowworm retags only ${basename(main)}, ` +
      `so ${service} would stay on ${image} while the rest goes to :${tag}. Nothing was changed.`,
    `Edit ${setting.file}: remove the "image:" line of ${service} there so ${basename(main)}'s applies, and run the upgrade again; ` +
      `or set the tags yourself (${service} there, the other GlowWorm images in ${basename(main)}) and run \`glowworm upgrade\` without --to.`);
}

function setByVariable(service: string, setting: ImageSetting, project: ComposeProject, tag: string) {
  const vars = setting.variables.map((v) => `$${v}`).join(', ');
  const envFile = project.envFile ? ` (${project.envFile}, or the environment)` : ' (the environment)';
  return userError('plan.image-from-variable',
    `The image of ${service} is "${setting.written}" in ${setting.file}: its value comes from ${vars}${envFile}, which --to cannot retag. Nothing was changed.`,
    `Set ${vars} so that ${service} runs :${tag}, and run \`glowworm upgrade\` without --to.`);
}

/** ` (line N)` of the service's image line, when the file can be read again. */
function lineOf(setting: ImageSetting): string {
  return setting.line ? ` (line ${setting.line})` : '';
}

/** Set the tag of every service running a GlowWorm app image (backend/worker/frontend repositories) in the main file. */
export function retagMainFile(text: string, observed: ObservedState, tag: string): string {
  const doc = ComposeDocument.parse(text);
  const appRepos = new Set(appServices(observed).map((s) => repositoryKey(parseImageRef(observed.services[s]!.compose.image!))));
  for (const name of doc.serviceNames()) {
    const image = doc.service(name)['image'];
    if (typeof image === 'string' && appRepos.has(repositoryKey(parseImageRef(image)))) doc.setImageTag(name, tag);
  }
  return doc.toString();
}
