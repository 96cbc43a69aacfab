// Which service of a user's compose file is which part of GlowWorm. Users rename services and container names (a test
// stack uses `t1-glowworm-backend`), so deployment migrations look services up by name first, then by image.
import { resolveHostPath } from '../compose/volumes.js';
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

export function findFrontendService(compose: ComposeDocument): string | null {
  return byNameOrImage(compose, 'glowworm-frontend', /frontend$/);
}

/** Every service other than the backend that runs the backend's image repository (the celery worker). */
export function backendImageSiblings(compose: ComposeDocument, backend: string): string[] {
  const image = compose.service(backend)['image'];
  if (typeof image !== 'string') return [];
  return compose.serviceNames().filter((name) => {
    const other = compose.service(name)['image'];
    return name !== backend && typeof other === 'string' && imageRepository(other) === imageRepository(image);
  });
}

/** The container port of a short-syntax port item: `"${BACKEND_PORT:-8001}:8001"` → 8001, `127.0.0.1:80:8080/tcp` → 8080. */
export function containerPort(item: string): number | null {
  const last = item.split(':').at(-1)!.split('/')[0]!;
  return /^\d+$/.test(last) ? Number(last) : null;
}

/** The container path of a short-syntax volume item: `./data/mysql:/var/lib/mysql:rw` → /var/lib/mysql. */
export function mountTarget(item: string): string | null {
  const parts = item.split(':');
  return parts.length >= 2 ? parts[1]! : null;
}

/** What a service waits for: `service_healthy` when the dependency has a healthcheck, else `service_started`. */
export function readinessOf(compose: ComposeDocument, service: string): string {
  return compose.service(service)['healthcheck'] ? 'service_healthy' : 'service_started';
}

/** The celery generation of GlowWorm (from mid-November 2025) ships this module in the backend image. */
export const CELERY_APP = '/app/celery_app.py';

/**
 * Where a short-syntax volume item's data lives, as Docker will see it: a bind's absolute host path, or a named
 * volume's Docker name (`<project>_<key>`, or the `name:` the top-level volume pins). Null for anything else.
 */
export function mountSource(compose: ComposeDocument, item: string, project: { dir: string; name: string }): { type: 'bind' | 'volume'; source: string } | null {
  const source = item.split(':')[0]!;
  if (source.startsWith('.') || source.startsWith('/') || source.startsWith('~')) {
    return { type: 'bind', source: resolveHostPath(source, project.dir) };
  }
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source)) return null;
  const declared = compose.topLevel('volumes')[source];
  const pinned = declared && typeof declared === 'object' ? (declared as Record<string, unknown>)['name'] : undefined;
  return { type: 'volume', source: typeof pinned === 'string' ? pinned : `${project.name}_${source}` };
}
