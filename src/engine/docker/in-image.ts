// Commands in a throwaway container of an image (no network, entrypoint cleared, labelled as a probe): how the engine
// asks an image about its migrations without starting the app.
import type { RunInImage } from '../alembic/history-probe.js';
import type { DockerPort } from './port.js';

export function inImage(docker: DockerPort, image: string): RunInImage {
  return (cmd) => docker.runOnce(image, cmd, { entrypoint: [], labels: { 'io.glowworm.role': 'probe' } });
}
