// A project glowworm can work on has GlowWorm in it. A compose file of another app (just nginx) is bad input, said
// as such before anything looks at containers: not "start the stack", which would send the user the wrong way.

import { userError } from '../errors.js';
import type { ComposeProject } from './model.js';
import { serviceRoles } from './service-roles.js';

const APP_ROLES = new Set(['backend', 'worker', 'frontend']);

export function requireGlowwormServices(project: Pick<ComposeProject, 'name' | 'composeFiles' | 'services'>): void {
  const roles = serviceRoles(project).roles;
  if (Object.values(roles).some((role) => APP_ROLES.has(role))) return;
  const names = Object.keys(project.services);
  const images = Object.values(project.services).map((s) => `${s.name} (${s.image ?? 'no image'})`);
  throw userError(
    'compose.not-glowworm',
    `The compose project "${project.name}" (${project.composeFiles.join(', ')}) has no GlowWorm services: ` +
      (names.length ? `${images.join(', ')} ${names.length === 1 ? 'is' : 'are'} neither a GlowWorm backend nor frontend.` : 'it defines no services.'),
    'Point glowworm at your GlowWorm deployment: --project-directory DIR, or -f DIR/docker-compose.yml.',
  );
}
