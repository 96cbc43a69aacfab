// Commands in a throwaway container of an image (no network, entrypoint cleared, labelled as a probe): how the engine
// asks an image about its migrations without starting the app.
import type { DockerPort } from './port.js';

/** A command in a throwaway container of one image: what the probes of an image's contents are given. */
export type RunInImage = (cmd: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

export function inImage(docker: DockerPort, image: string): RunInImage {
  return (cmd) => docker.runOnce(image, cmd, { entrypoint: [], labels: { 'io.glowworm.role': 'probe' } });
}
