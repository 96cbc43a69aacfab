// Which service of a user's compose file is which part of GlowWorm. Users rename services and container names (a test
// stack uses `t1-glowworm-backend`), so deployment migrations look services up by name first, then by image.
import { userError } from '../errors.js';
import { imageRepository, type ComposeDocument } from './compose-edit.js';

function byNameOrImage(compose: ComposeDocument, name: string, imagePattern: RegExp): string | null {
  if (compose.hasService(name)) return name;
  return (
    compose.serviceNames().find((service) => {
      const image = compose.service(service)['image'];
      return typeof image === 'string' && imagePattern.test(imageRepository(image));
    }) ?? null
  );
}

/** `glowworm-backend`, else the service whose image repository ends in `backend`. */
export function findBackendService(compose: ComposeDocument): string {
  const found = byNameOrImage(compose, 'glowworm-backend', /backend$/);
  if (!found) {
    throw userError(
      'deploy-migrations.no-backend',
      `${compose.fileName} has no GlowWorm backend service (none is named glowworm-backend, no image ends in "backend").`,
      'Is this the compose file of a GlowWorm deployment? Pass it with -f.',
    );
  }
  return found;
}

export function findDatabaseService(compose: ComposeDocument): string | null {
  return byNameOrImage(compose, 'glowworm-mysql', /(^|\/)(mysql|mariadb)$/);
}

export function findRedisService(compose: ComposeDocument): string | null {
  return byNameOrImage(compose, 'glowworm-redis', /(^|\/)redis$/);
}

/** `t1-glowworm-backend` → `t1-`: what the stack puts before its container names ('' for the real stack). */
export function containerNamePrefix(compose: ComposeDocument, backendService: string): string | null {
  const name = compose.service(backendService)['container_name'];
  if (typeof name !== 'string') return null;
  for (const suffix of [backendService, 'glowworm-backend', 'backend']) {
    if (name.endsWith(suffix)) return name.slice(0, name.length - suffix.length);
  }
  return null;
}
