// Pull with per-layer progress. dockerode's followProgress reports success even when a progress line carries
// `error` (design.md rule 6), so every line is checked here and the first error fails the pull.
import type Docker from 'dockerode';
import { externalError } from '../errors.js';
import { mapDockerError } from './docker-errors.js';
import { registryAuthFor } from './registry-auth.js';
import type { PullProgress } from './port.js';

interface ProgressLine {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

export async function pullImage(docker: Docker, ref: string, onProgress: (p: PullProgress) => void): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    const authconfig = await registryAuthFor(ref);
    stream = (await docker.pull(ref, authconfig ? { authconfig } : {})) as NodeJS.ReadableStream;
  } catch (error) {
    throw mapDockerError(`pull ${ref}`, error);
  }
  let lineError: string | null = null;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: unknown) => (error ? reject(mapDockerError(`pull ${ref}`, error)) : resolve()),
      (line: ProgressLine) => {
        if (line.error || line.errorDetail) {
          lineError ??= line.errorDetail?.message ?? line.error ?? 'unknown error';
          return;
        }
        const p: PullProgress = { layer: line.id ?? '', status: line.status ?? '' };
        if (line.progressDetail?.current !== undefined) p.current = line.progressDetail.current;
        if (line.progressDetail?.total !== undefined) p.total = line.progressDetail.total;
        onProgress(p);
      },
    );
  });
  if (lineError) {
    throw externalError(
      'docker.pull-failed',
      `Pulling ${ref} failed: ${lineError}`,
      'Check the image name and tag, the registry, and your network. Nothing was changed.',
    );
  }
}
