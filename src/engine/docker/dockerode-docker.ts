// The real DockerPort over dockerode. Every call maps errors (docker-errors.ts); nothing here makes decisions.
import Docker from 'dockerode';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BoundedText, DockerDemux } from './demux.js';
import { isNotFound, isRemovalInProgress, mapDockerError } from './docker-errors.js';
import { engineConnection } from './engine-connection.js';
import { followLogs } from './follow-logs.js';
import { readFileFromArchive } from './archive.js';
import { pullImage } from './pull.js';
import { ownerLabel } from './throwaway-owner.js';
import type {
  ContainerDetails,
  ContainerSummary,
  CreateContainerSpec,
  DockerPort,
  ExecOptions,
  ExecResult,
  ExecStream,
  ImageDetails,
  LogLine,
  NetworkSummary,
  PullProgress,
  RawContainerInspect,
  RunOnceOptions,
} from './port.js';

export class DockerodeDocker implements DockerPort {
  // The engine the docker CLI would use: DOCKER_HOST, DOCKER_CONTEXT, `docker context use` (engine-endpoint.ts).
  constructor(private readonly docker: Docker = engineConnection().docker) {}

  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw mapDockerError('answer a ping', error);
    }
  }

  async listContainers(labelFilter: string[] = []): Promise<ContainerSummary[]> {
    try {
      const list = await this.docker.listContainers({ all: true, filters: { label: labelFilter } });
      return list.map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        image: c.Image,
        imageId: c.ImageID,
        state: c.State,
        labels: c.Labels ?? {},
      }));
    } catch (error) {
      throw mapDockerError('list containers', error);
    }
  }

  async inspectContainer(idOrName: string): Promise<ContainerDetails | null> {
    let raw: RawContainerInspect;
    try {
      raw = (await this.docker.getContainer(idOrName).inspect()) as unknown as RawContainerInspect;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw mapDockerError(`inspect container ${idOrName}`, error);
    }
    const state = raw.State as {
      Status: string;
      Running: boolean;
      Restarting: boolean;
      ExitCode: number;
      StartedAt: string;
      Health?: { Status: string };
    };
    const networks = Object.entries(raw.NetworkSettings.Networks ?? {}).map(([name, n]) => ({
      name,
      aliases: (n['Aliases'] as string[] | null) ?? [],
      ipAddress: (n['IPAddress'] as string) || null,
      ipamConfig: (n['IPAMConfig'] as Record<string, unknown> | null) ?? null,
    }));
    return {
      id: raw.Id,
      name: raw.Name.replace(/^\//, ''),
      image: raw.Config.Image,
      imageId: raw.Image,
      status: state.Status,
      running: state.Running,
      restarting: state.Restarting,
      exitCode: state.ExitCode,
      health: state.Health?.Status ?? null,
      restartCount: raw.RestartCount ?? 0,
      startedAt: state.StartedAt,
      env: raw.Config.Env ?? [],
      labels: raw.Config.Labels ?? {},
      networks,
      raw,
    };
  }

  async listImages(): Promise<{ id: string; repoTags: string[]; repoDigests: string[]; created: number }[]> {
    try {
      const images = await this.docker.listImages({ all: false });
      return images.map((i) => ({ id: i.Id, repoTags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'), repoDigests: (i.RepoDigests ?? []).filter((d) => !d.startsWith('<none>')), created: i.Created }));
    } catch (error) {
      throw mapDockerError('list images', error);
    }
  }

  async tagImage(id: string, repo: string, tag: string): Promise<void> {
    try {
      await this.docker.getImage(id).tag({ repo, tag });
    } catch (error) {
      throw mapDockerError(`tag image ${id}`, error);
    }
  }

  async inspectImage(ref: string): Promise<ImageDetails | null> {
    try {
      const i = await this.docker.getImage(ref).inspect();
      return {
        id: i.Id,
        repoTags: i.RepoTags ?? [],
        repoDigests: i.RepoDigests ?? [],
        labels: i.Config?.Labels ?? {},
        config: (i.Config ?? {}) as unknown as Record<string, unknown>,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw mapDockerError(`inspect image ${ref}`, error);
    }
  }

  async remoteDigest(ref: string): Promise<string | null> {
    try {
      const d = await this.docker.getImage(ref).distribution();
      return d.Descriptor?.digest ?? null;
    } catch (error) {
      // The registry answers "manifest unknown" as a 401/403/404 depending on its auth; none of them is a digest.
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404 || status === 401 || status === 403) return null;
      throw mapDockerError(`ask the registry about ${ref}`, error);
    }
  }

  pull(ref: string, onProgress: (p: PullProgress) => void): Promise<void> {
    return pullImage(this.docker, ref, onProgress);
  }

  async createContainer(spec: CreateContainerSpec): Promise<string> {
    try {
      const c = await this.docker.createContainer({ ...spec.body, name: spec.name } as Docker.ContainerCreateOptions);
      return c.id;
    } catch (error) {
      throw mapDockerError(`create container ${spec.name}`, error);
    }
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 304) return; // already started
      throw mapDockerError(`start container ${id}`, error);
    }
  }

  async stopContainer(id: string, timeoutSeconds = 10): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: timeoutSeconds });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 304) return; // already stopped
      throw mapDockerError(`stop container ${id}`, error);
    }
  }

  async removeContainer(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: opts.force ?? false, v: opts.volumes ?? false });
    } catch (error) {
      if (isNotFound(error)) return;
      // Another process removes it already (two glowworm runs sweeping a dead run's throwaway): done once it is gone,
      // so that a caller reusing the name finds it free.
      if (isRemovalInProgress(error)) return this.waitUntilGone(id, `remove container ${id}`, error);
      throw mapDockerError(`remove container ${id}`, error);
    }
  }

  private async waitUntilGone(id: string, action: string, cause: unknown, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.inspectContainer(id))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw mapDockerError(action, cause);
  }

  async renameContainer(id: string, newName: string): Promise<void> {
    try {
      await this.docker.getContainer(id).rename({ name: newName });
    } catch (error) {
      throw mapDockerError(`rename container ${id} to ${newName}`, error);
    }
  }

  async connectNetwork(network: string, container: string, endpoint: Record<string, unknown>): Promise<void> {
    try {
      await this.docker.getNetwork(network).connect({ Container: container, EndpointConfig: endpoint });
    } catch (error) {
      throw mapDockerError(`connect ${container} to network ${network}`, error);
    }
  }

  async disconnectNetwork(network: string, container: string): Promise<void> {
    try {
      await this.docker.getNetwork(network).disconnect({ Container: container, Force: true });
    } catch (error) {
      if (isNotFound(error)) return;
      throw mapDockerError(`disconnect ${container} from network ${network}`, error);
    }
  }

  async createNetwork(name: string, labels: Record<string, string>, internal: boolean): Promise<string> {
    try {
      const n = await this.docker.createNetwork({ Name: name, Driver: 'bridge', Internal: internal, Labels: labels });
      return n.id;
    } catch (error) {
      throw mapDockerError(`create network ${name}`, error);
    }
  }

  async listNetworks(labelFilter: string[]): Promise<NetworkSummary[]> {
    try {
      const list = await this.docker.listNetworks({ filters: { label: labelFilter } });
      return list.map((n) => ({ name: n.Name, labels: n.Labels ?? {} }));
    } catch (error) {
      throw mapDockerError('list networks', error);
    }
  }

  async removeNetwork(name: string): Promise<void> {
    try {
      await this.docker.getNetwork(name).remove();
    } catch (error) {
      if (isNotFound(error)) return;
      throw mapDockerError(`remove network ${name}`, error);
    }
  }

  async exec(container: string, cmd: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const stream = await this.execStream(container, cmd, opts);
    const out = new BoundedText(4 * 1024 * 1024);
    stream.stdout.on('data', out.add);
    const [{ exitCode, stderr }] = await Promise.all([
      stream.done,
      new Promise((resolve) => stream.stdout.once('end', resolve)),
    ]);
    return { exitCode, stdout: out.toString(), stderr };
  }

  async execStream(container: string, cmd: string[], opts: ExecOptions = {}): Promise<ExecStream> {
    return this.startExec(container, cmd, opts, null);
  }

  async execWithStdin(container: string, cmd: string[], stdin: Readable, opts: ExecOptions = {}): Promise<ExecResult> {
    const stream = await this.startExec(container, cmd, opts, stdin);
    const out = new BoundedText(1024 * 1024);
    stream.stdout.on('data', out.add);
    const { exitCode, stderr } = await stream.done;
    return { exitCode, stdout: out.toString(), stderr };
  }

  private async startExec(
    container: string,
    cmd: string[],
    opts: ExecOptions,
    stdin: Readable | null,
  ): Promise<ExecStream> {
    const action = `run ${cmd[0]} in ${container}`;
    let exec: Docker.Exec;
    let socket: NodeJS.ReadWriteStream;
    try {
      exec = await this.docker.getContainer(container).exec({
        Cmd: cmd,
        Env: opts.env,
        User: opts.user,
        WorkingDir: opts.workingDir,
        AttachStdin: stdin !== null,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      });
      socket = (await exec.start({ hijack: true, stdin: stdin !== null })) as unknown as NodeJS.ReadWriteStream;
    } catch (error) {
      throw mapDockerError(action, error);
    }
    const stderr = new BoundedText();
    const stdout = new PassThrough();
    const demuxed = pipeline(socket as unknown as Readable, new DockerDemux(stderr.add), stdout);
    // Stdin is streamed into the hijacked socket; ending it half-closes the connection so the command sees EOF.
    const fed = stdin ? pipeline(stdin, socket as unknown as NodeJS.WritableStream) : Promise.resolve();
    const done = Promise.all([demuxed, fed]).then(async () => {
      const info = await exec.inspect();
      return { exitCode: info.ExitCode ?? -1, stderr: stderr.toString() };
    });
    done.catch(() => stdout.destroy());
    return {
      stdout,
      done: done.catch((error) => {
        throw mapDockerError(action, error);
      }),
    };
  }

  logs(
    container: string,
    opts: { follow: boolean; since?: number; tail?: number; timestamps?: boolean },
    signal?: AbortSignal,
  ): AsyncIterable<LogLine> {
    return followLogs(this.docker, container, opts, signal);
  }

  async readFile(container: string, path: string): Promise<Buffer | null> {
    return readFileFromArchive(this.docker, container, path);
  }

  async createStopped(image: string, name: string, labels: Record<string, string>): Promise<string> {
    return this.createContainer({ name, body: { Image: image, Labels: { ...labels, ...ownerLabel() }, Entrypoint: ['/bin/true'], Cmd: [] } });
  }

  async runOnce(image: string, cmd: string[], opts: RunOnceOptions = {}): Promise<ExecResult> {
    const body: Record<string, unknown> = {
      Image: image,
      Cmd: cmd,
      Env: opts.env,
      Labels: { ...opts.labels, ...ownerLabel() },
      HostConfig: { NetworkMode: opts.networkMode ?? 'none' },
    };
    if (opts.entrypoint) body['Entrypoint'] = opts.entrypoint;
    const name = `glowworm-once-${process.pid}-${Date.now().toString(36)}`;
    const id = await this.createContainer({ name, body });
    try {
      const container = this.docker.getContainer(id);
      const out = new BoundedText(4 * 1024 * 1024);
      const err = new BoundedText(1024 * 1024);
      const attached = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as Readable;
      const collected = pipeline(attached, new DockerDemux(err.add), new PassThrough().on('data', out.add));
      await this.startContainer(id);
      const result = (await container.wait()) as { StatusCode: number };
      await collected.catch(() => undefined);
      return { exitCode: result.StatusCode, stdout: out.toString(), stderr: err.toString() };
    } catch (error) {
      throw mapDockerError(`run ${cmd[0]} in a throwaway ${image} container`, error);
    } finally {
      await this.removeContainer(id, { force: true, volumes: true });
    }
  }
}
