// The Docker port: the only way the engine talks to Docker. Promise-only, typed, and small enough that a unit test can
// implement it with a fake; the real implementation (dockerode-docker.ts) is proven by the integration tests.
import type { Readable } from 'node:stream';

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  labels: Record<string, string>;
}

export interface NetworkSummary {
  name: string;
  labels: Record<string, string>;
}

export interface NetworkAttachment {
  name: string;
  aliases: string[];
  ipAddress: string | null;
  /** Static address settings, kept when we reconnect a recreated container. */
  ipamConfig: Record<string, unknown> | null;
}

/** The parts of `docker inspect <container>` the engine uses; `raw` keeps everything for recreate. */
export interface ContainerDetails {
  id: string;
  name: string;
  image: string;
  imageId: string;
  status: string;
  running: boolean;
  restarting: boolean;
  exitCode: number;
  health: string | null;
  restartCount: number;
  startedAt: string;
  env: string[];
  labels: Record<string, string>;
  networks: NetworkAttachment[];
  raw: RawContainerInspect;
}

/** dockerode's inspect result, kept loose on purpose: recreate copies fields we do not name. */
export type RawContainerInspect = {
  Id: string;
  Name: string;
  Image: string;
  Config: Record<string, unknown> & { Image: string; Env?: string[]; Labels?: Record<string, string> };
  HostConfig: Record<string, unknown>;
  NetworkSettings: { Networks?: Record<string, Record<string, unknown>> };
  State: Record<string, unknown>;
  RestartCount?: number;
};

export interface ImageDetails {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  labels: Record<string, string>;
  /** The image's default config (Env, Cmd, Entrypoint, Healthcheck, …) — what recreate must not freeze. */
  config: Record<string, unknown>;
}

export interface PullProgress {
  layer: string;
  status: string;
  current?: number;
  total?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Passed as the exec's environment: the way secrets reach mysqldump/mysql (never argv). */
  env?: string[];
  user?: string;
  workingDir?: string;
}

/** A running exec whose stdout is streamed with backpressure (a backup's dump). */
export interface ExecStream {
  stdout: Readable;
  /** stderr, collected up to a bound (a dump's warnings), and the exit code once the exec ends. */
  done: Promise<{ exitCode: number; stderr: string }>;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface CreateContainerSpec {
  name: string;
  /** The body of `POST /containers/create` (Config fields + HostConfig + NetworkingConfig). */
  body: Record<string, unknown>;
}

export interface RunOnceOptions {
  entrypoint?: string[];
  env?: string[];
  networkMode?: string;
  labels?: Record<string, string>;
}

export interface DockerPort {
  ping(): Promise<void>;
  listContainers(labelFilter?: string[]): Promise<ContainerSummary[]>;
  inspectContainer(idOrName: string): Promise<ContainerDetails | null>;
  inspectImage(ref: string): Promise<ImageDetails | null>;
  /** Every image on the engine, tagged or not (a moved tag leaves the old image untagged, still here). */
  listImages(): Promise<{ id: string; repoTags: string[]; repoDigests: string[]; created: number }[]>;
  /** Give an image one more name (`repo:tag`). */
  tagImage(id: string, repo: string, tag: string): Promise<void>;
  /** The registry's manifest digest for a ref, without pulling; null when the registry does not know it. */
  remoteDigest(ref: string): Promise<string | null>;
  /** Pull, reporting per-layer progress; rejects when any progress line carries an error. */
  pull(ref: string, onProgress: (p: PullProgress) => void): Promise<void>;
  createContainer(spec: CreateContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, timeoutSeconds?: number): Promise<void>;
  removeContainer(id: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  renameContainer(id: string, newName: string): Promise<void>;
  connectNetwork(network: string, container: string, endpoint: Record<string, unknown>): Promise<void>;
  disconnectNetwork(network: string, container: string): Promise<void>;
  createNetwork(name: string, labels: Record<string, string>, internal: boolean): Promise<string>;
  listNetworks(labelFilter: string[]): Promise<NetworkSummary[]>;
  removeNetwork(name: string): Promise<void>;
  exec(container: string, cmd: string[], opts?: ExecOptions): Promise<ExecResult>;
  execStream(container: string, cmd: string[], opts?: ExecOptions): Promise<ExecStream>;
  /** Run a command with `stdin` streamed in (a restore); resolves with its result once stdin is consumed and it ends. */
  execWithStdin(container: string, cmd: string[], stdin: Readable, opts?: ExecOptions): Promise<ExecResult>;
  /** Follow (or read) a container's log lines; ends when the container stops (follow) or the logs end. */
  /** `timestamps`: each line starts with the RFC 3339 time docker wrote it (alembic/log-line.ts reads and strips it). */
  logs(container: string, opts: { follow: boolean; since?: number; tail?: number; timestamps?: boolean }, signal?: AbortSignal): AsyncIterable<LogLine>;
  /** A file's content from a container (created or running) via the archive API; null when absent. */
  readFile(container: string, path: string): Promise<Buffer | null>;
  /** Create, start, wait and remove a throwaway container of `image`; its output and exit code. */
  runOnce(image: string, cmd: string[], opts?: RunOnceOptions): Promise<ExecResult>;
  /** Whether the image's default command would be replaced — used to read files without starting it. */
  createStopped(image: string, name: string, labels: Record<string, string>): Promise<string>;
}
