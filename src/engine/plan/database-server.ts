// Whether the upgrade recreates the database server, and why. A release that edits the database service's definition
// (the celery generation drops its init.sql mount) or its image would otherwise leave that change to the user's next
// `docker compose up -d`, which recreates the server outside any downtime, backup or way back. So it is recreated
// from the target file like the app's services, inside the downtime — but only onto the data it runs on now: a file
// that mounts something else at the data directory would start the server on an empty database. Pure.
import type { ComposeService } from '../compose/index.js';
import type { ContainerDetails } from '../docker/port.js';
import type { ObservedState } from './observed-state.js';
import type { ServiceChange } from './plan.js';
import type { TargetState } from './reconcile.js';

/** Where MySQL and MariaDB keep their data in their official images. */
export const DATADIR = '/var/lib/mysql';

export interface DatabaseServerChange {
  change: ServiceChange;
  /** Why, for the plan: the definition's fields that change, and `image` when the image does. */
  reasons: string[];
}

interface DataMount {
  type: string;
  source: string | null;
}

/** The running container's data directory mount (a volume by its name, a bind by its host path). */
function runningDataMount(container: ContainerDetails): DataMount | null {
  const mounts = (container.raw as unknown as { Mounts?: { Type?: string; Name?: string; Source?: string; Destination?: string }[] }).Mounts ?? [];
  const m = mounts.find((x) => x.Destination === DATADIR);
  if (!m) return null;
  return { type: m.Type ?? 'volume', source: (m.Type === 'volume' ? m.Name : m.Source) ?? null };
}

/**
 * Whether a container made from `service` would see the data `container` runs on. A data directory the file names
 * must be the same volume or host path; one it does not name (or names without a source) is the old container's
 * volume, carried over as compose carries anonymous volumes (create-from-compose.ts) — a bind is not carried.
 */
function keepsData(service: ComposeService, container: ContainerDetails): { ok: boolean; now: string; file: string } {
  const running = runningDataMount(container);
  const declared = service.volumes.find((v) => v.target === DATADIR && v.source);
  const now = running ? `${running.type} ${running.source ?? '(anonymous)'}` : 'nothing (the container layer)';
  if (!declared) return { ok: running?.type === 'volume', now, file: 'no mount' };
  return { ok: !!running && running.type === declared.type && running.source === declared.source, now, file: `${declared.type} ${declared.source}` };
}

/** The database server's recreate, a warning saying why it cannot be, or null when the file leaves it as it runs. */
export function databaseServerChange(observed: ObservedState, target: TargetState): { change: DatabaseServerChange } | { warning: string } | null {
  const name = observed.roles.db;
  const now = name ? observed.services[name] : undefined;
  const service = name ? target.project.services[name] : undefined;
  if (!name || !now?.container || !service?.image) return null;
  const fields = target.definitionChanges[name] ?? [];
  const image = target.images[service.image];
  const imageChanged = service.image !== now.container.image || (!!image && image.id !== now.container.imageId);
  if (!fields.length && !imageChanged) return null;
  const reasons = [...fields, ...(imageChanged ? ['image'] : [])];
  const data = keepsData(service, now.container);
  if (!data.ok) {
    return {
      warning: `The compose file changes ${name} (${reasons.join(', ')}) but mounts ${data.file} at ${DATADIR}, where the running server has ${data.now}: recreated from this file, the database server would start without its data. glowworm leaves it as it runs; point that mount at the data it runs on before the next \`docker compose up -d\`.`,
    };
  }
  return {
    change: {
      change: {
        service: name, container: now.containerName, action: 'recreate', fromImage: now.container.image, toImage: service.image,
        fromVersion: null, toVersion: null, config: 'compose', changedFields: reasons,
      },
      reasons,
    },
  };
}

/** What the plan says about a new server image: it may upgrade the data directory so the old one cannot read it. */
export function serverImageWarning(c: DatabaseServerChange): string | null {
  if (!c.reasons.includes('image')) return null;
  return `The database server's image changes (${c.change.fromImage} -> ${c.change.toImage}): a newer server may upgrade its data directory in place, and the old server may then not start on it again; if the upgrade fails after that, the way back is the verified backup (\`glowworm restore\`).`;
}
