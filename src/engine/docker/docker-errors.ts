// Docker API errors mapped to GlowwormErrors by HTTP status (design.md rule 6), so a user sees "image not found in
// the registry" rather than "(HTTP code 404) unexpected - …".
import { GlowwormError, externalError } from '../errors.js';

interface DockerApiError {
  statusCode?: number;
  reason?: string;
  json?: { message?: string } | null;
  message?: string;
  code?: string;
}

export function dockerStatus(error: unknown): number | undefined {
  return (error as DockerApiError | null)?.statusCode;
}

export function isNotFound(error: unknown): boolean {
  return dockerStatus(error) === 404;
}

/** 409 "removal of container … is already in progress": another client removes it at this moment. */
export function isRemovalInProgress(error: unknown): boolean {
  return dockerStatus(error) === 409 && /removal of container .* is already in progress/.test(dockerMessage(error));
}

function dockerMessage(error: unknown): string {
  const e = error as DockerApiError;
  return e?.json?.message ?? e?.reason ?? e?.message ?? String(error);
}

/** Wrap a Docker failure of `action` (e.g. "start container glowworm-backend"). */
export function mapDockerError(action: string, error: unknown): GlowwormError {
  if (error instanceof GlowwormError) return error;
  const e = error as DockerApiError;
  const detail = dockerMessage(error);
  if (e?.code === 'ENOENT' || e?.code === 'ECONNREFUSED' || e?.code === 'EACCES') {
    return externalError(
      'docker.unreachable',
      `Cannot reach the Docker engine to ${action}: ${detail}`,
      e.code === 'EACCES'
        ? 'Run as root or as a member of the docker group.'
        : 'Is the Docker engine running? Check `systemctl status docker` or DOCKER_HOST.',
      error,
    );
  }
  switch (e?.statusCode) {
    case 404:
      return externalError('docker.not-found', `Docker could not ${action}: not found (${detail})`, undefined, error);
    case 409:
      return externalError(
        'docker.conflict',
        `Docker could not ${action}: conflict (${detail})`,
        'Another container may already use that name; `glowworm status` shows what is there.',
        error,
      );
    case 401:
    case 403:
      return externalError(
        'docker.denied',
        `Docker could not ${action}: access denied (${detail})`,
        'Log in to the registry with `docker login` if the image is private.',
        error,
      );
    default:
      return externalError('docker.failed', `Docker could not ${action}: ${detail}`, undefined, error);
  }
}
