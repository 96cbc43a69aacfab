// What each service is to GlowWorm: the database, redis, the backend (runs the migrations), workers (the backend image
// with another command, e.g. the celery worker), the frontend, or something else. Users rename services and images,
// so this goes by image repository and a few strong hints; where it cannot tell, it says so instead of guessing.

import { parseImageRef, repositoryKey, type ImageRef } from './image-ref.js';
import type { ComposeProject, ComposeService } from './model.js';

export type ServiceRole = 'db' | 'redis' | 'backend' | 'worker' | 'frontend' | 'other';

export interface ServiceRoles {
  /** Every service's role. */
  roles: Record<string, ServiceRole>;
  /** The one service of each singular role, or null when there is none or it is ambiguous (see warnings). */
  db: string | null;
  redis: string | null;
  backend: string | null;
  frontend: string | null;
  workers: string[];
  warnings: string[];
}

/** The names the real GlowWorm file uses; they settle ties. */
const PREFERRED_NAMES: Record<'db' | 'redis' | 'backend' | 'frontend', string> = {
  db: 'glowworm-mysql',
  redis: 'glowworm-redis',
  backend: 'glowworm-backend',
  frontend: 'glowworm-frontend',
};

export function serviceRoles(project: Pick<ComposeProject, 'services'>): ServiceRoles {
  const warnings: string[] = [];
  const services = Object.values(project.services).sort((a, b) => a.name.localeCompare(b.name));
  const images = new Map(services.map((s) => [s.name, safeParse(s.image)] as const));
  const repo = (s: ComposeService) => images.get(s.name)?.repository.toLowerCase() ?? '';

  const backendCandidates = services.filter(
    (s) => s.name === PREFERRED_NAMES.backend || (repo(s).includes('backend') && s.command === null),
  );
  const backend = pickOne('backend', backendCandidates, warnings);
  const backendImage = backend ? images.get(backend.name) : undefined;
  const backendKey = backendImage ? repositoryKey(backendImage) : null;

  const roles: Record<string, ServiceRole> = {};
  for (const service of services) {
    const image = images.get(service.name);
    const sameImageAsBackend = backendKey !== null && image !== undefined && repositoryKey(image) === backendKey;
    if (service === backend) roles[service.name] = 'backend';
    else if (backend && sameImageAsBackend && !sameCommand(service, backend)) roles[service.name] = 'worker';
    else if (!backend && repo(service).includes('backend') && service.command !== null) roles[service.name] = 'worker';
    else if (/mysql|mariadb/.test(repo(service))) roles[service.name] = 'db';
    else if (repo(service).includes('redis')) roles[service.name] = 'redis';
    else if (repo(service).includes('frontend')) roles[service.name] = 'frontend';
    else if (repo(service).includes('backend')) roles[service.name] = 'backend';
    else if ('MYSQL_ROOT_PASSWORD' in service.environment || 'MARIADB_ROOT_PASSWORD' in service.environment) {
      roles[service.name] = 'db';
    } else roles[service.name] = 'other';
  }
  if (backendCandidates.length === 0 && services.some((s) => repo(s).includes('backend'))) {
    warnings.push('No service looks like the GlowWorm backend (a backend image without a command override).');
  }
  const withRole = (role: ServiceRole) => services.filter((s) => roles[s.name] === role);
  for (const service of withRole('backend')) {
    if (service !== backend && backend) {
      warnings.push(`Service "${service.name}" also uses a backend image; treating "${backend.name}" as the backend.`);
    }
  }
  return {
    roles,
    db: pickOne('db', withRole('db'), warnings)?.name ?? null,
    redis: pickOne('redis', withRole('redis'), warnings)?.name ?? null,
    backend: backend?.name ?? null,
    frontend: pickOne('frontend', withRole('frontend'), warnings)?.name ?? null,
    workers: withRole('worker').map((s) => s.name),
    warnings,
  };
}

// One candidate wins; among several, the one with GlowWorm's own service name; otherwise nobody, with a warning.
function pickOne(
  role: keyof typeof PREFERRED_NAMES,
  candidates: ComposeService[],
  warnings: string[],
): ComposeService | null {
  if (candidates.length <= 1) return candidates[0] ?? null;
  const preferred = candidates.find((s) => s.name === PREFERRED_NAMES[role]);
  const names = candidates.map((s) => `"${s.name}"`).join(', ');
  if (preferred) {
    if (role !== 'backend') warnings.push(`Several services look like the ${role} (${names}); using "${preferred.name}".`);
    return preferred;
  }
  warnings.push(`Several services look like the ${role} (${names}); cannot tell which one it is.`);
  return null;
}

function sameCommand(a: ComposeService, b: ComposeService): boolean {
  return JSON.stringify(a.command) === JSON.stringify(b.command) && JSON.stringify(a.entrypoint) === JSON.stringify(b.entrypoint);
}

function safeParse(image: string | null): ImageRef | undefined {
  if (!image) return undefined;
  try {
    return parseImageRef(image);
  } catch {
    return undefined;
  }
}
