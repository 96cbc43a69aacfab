// What a GlowWorm release is known by on a user's host. Its images carry no version label and its tags move
// (`latest`, `test`), and the backend's /health always says 0.1.0: what identifies a release is the image's tag and
// digest, the Alembic head it brings, and the frontend's package.json version where its image has one. The plan names
// exactly these; it invents nothing.
import type { ImageDetails } from '../docker/port.js';
import { VERSION_LABEL } from './observed-state.js';

export interface ReleaseIdentity {
  /** The backend image reference the compose file names (or --to makes). */
  image: string | null;
  tag: string | null;
  /** The registry digest of that reference, when the engine knows it. */
  digest: string | null;
  /** The OCI version label, only when the image carries one. */
  label: string | null;
  alembicHeads: string[];
  /** `version` from the frontend image's /app/package.json, when it is there. */
  frontendVersion: string | null;
}

/** RepoDigests are `name@sha256:…`, one per name the image was pulled under: the one of this ref's name. */
export function repoDigestOf(image: ImageDetails | null, ref: string): string | null {
  const name = ref.replace(/:[^/:@]+$/, '');
  return image?.repoDigests.find((d) => d.slice(0, d.indexOf('@')) === name)?.split('@')[1] ?? null;
}

export function tagOf(ref: string | null): string | null {
  return ref?.match(/^[^@]*:([\w][\w.-]{0,127})$/)?.[1] ?? (ref && !ref.includes('@') ? 'latest' : null);
}

export const FRONTEND_PACKAGE = '/app/package.json';

/** The frontend's own version from its package.json text; null for anything unreadable. */
export function packageVersion(text: string | null | undefined): string | null {
  if (!text) return null;
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' && version ? version : null;
  } catch {
    return null;
  }
}

export function identityOf(ref: string | null, image: ImageDetails | null, alembicHeads: string[], frontendVersion: string | null): ReleaseIdentity {
  return {
    image: ref,
    tag: tagOf(ref),
    digest: ref ? repoDigestOf(image, ref) : null,
    label: image?.labels[VERSION_LABEL] ?? null,
    alembicHeads,
    frontendVersion,
  };
}

/** One line for people: `latest (sha256:1a2b3c4d5e6f), Alembic 5595cc4b4e79, frontend 0.0.0`. */
export function identityText(id: ReleaseIdentity): string {
  const parts = [`${id.label ?? id.tag ?? id.image ?? 'unknown'}${id.digest ? ` (${id.digest.slice(0, 19)})` : ''}`];
  parts.push(`Alembic ${id.alembicHeads.join(', ') || 'empty'}`);
  if (id.frontendVersion) parts.push(`frontend ${id.frontendVersion}`);
  return parts.join(', ');
}
