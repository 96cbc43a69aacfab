// Read one file out of a container (created or running) via the archive API: a tar stream with the file as its
// first regular entry. Small files only (release notes, version files): the tar is buffered up to a bound.
import type Docker from 'dockerode';
import { isNotFound, mapDockerError } from './docker-errors.js';

const MAX_ARCHIVE = 8 * 1024 * 1024;

export async function readFileFromArchive(docker: Docker, container: string, path: string): Promise<Buffer | null> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.getContainer(container).getArchive({ path })) as NodeJS.ReadableStream;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw mapDockerError(`read ${path} from ${container}`, error);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_ARCHIVE) throw mapDockerError(`read ${path} from ${container}`, new Error('file too large'));
    chunks.push(b);
  }
  return firstRegularFile(Buffer.concat(chunks));
}

/** The content of the first regular file in a tar (skipping pax/GNU long-name headers). */
export function firstRegularFile(tar: Buffer): Buffer | null {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return null;
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = offset + 512;
    if (type === '0' || type === '\0') return tar.subarray(body, body + size);
    offset = body + Math.ceil(size / 512) * 512;
  }
  return null;
}
