// Docker image references: `[registry/]repository[:tag][@digest]`. The first path component is a registry only when
// it looks like a host (has a `.` or `:`, or is `localhost`), as docker decides. The tag defaults to `latest` unless
// the reference pins a digest.

import { userError } from '../errors.js';

export interface ImageRef {
  /** `127.0.0.1:5000`, `ghcr.io`; null for Docker Hub written without a registry. */
  registry: string | null;
  /** `glowworm/backend`, `mysql`, `nickstephens/glowworm-backend`. */
  repository: string;
  /** `1.0.0`; `latest` when neither tag nor digest is given; null for a digest-only reference. */
  tag: string | null;
  /** `sha256:…` or null. */
  digest: string | null;
}

const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function parseImageRef(ref: string): ImageRef {
  const trimmed = ref.trim();
  const at = trimmed.indexOf('@');
  const digest = at >= 0 ? trimmed.slice(at + 1) : null;
  let rest = at >= 0 ? trimmed.slice(0, at) : trimmed;
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : null;
  const repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (!REPOSITORY.test(repository) || (tag !== null && !TAG.test(tag)) || (digest !== null && !DIGEST.test(digest))) {
    throw userError(
      'image.reference-invalid',
      `Invalid image reference ${JSON.stringify(ref)}.`,
      'Image references look like "mysql:8.0", "nickstephens/glowworm-backend:test" or "127.0.0.1:5000/glowworm/backend:1.0.0".',
    );
  }
  return { registry, repository, tag: tag ?? (digest ? null : 'latest'), digest };
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${
    ref.digest ? `@${ref.digest}` : ''
  }`;
}

/** The same image repository with another tag (any digest is dropped: it would pin the old image). */
export function withTag(ref: string, tag: string): string {
  if (!TAG.test(tag)) throw userError('image.tag-invalid', `Invalid image tag ${JSON.stringify(tag)}.`);
  return formatImageRef({ ...parseImageRef(ref), tag, digest: null });
}

/** One spelling per repository, so `mysql`, `library/mysql` and `docker.io/library/mysql` compare equal. */
export function repositoryKey(ref: ImageRef): string {
  const hub = ref.registry === null || ref.registry === 'docker.io' || ref.registry === 'index.docker.io';
  if (!hub) return `${ref.registry}/${ref.repository}`;
  return `docker.io/${ref.repository.includes('/') ? ref.repository : `library/${ref.repository}`}`;
}
