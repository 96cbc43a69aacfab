// The typed model of a compose project as `docker compose` would see it: files found, `.env` applied, variables
// interpolated, files merged, names resolved. Everything the engine needs to find and understand the user's
// deployment without a compose CLI. `raw` keeps the merged, interpolated YAML for anything the model does not name.

export interface ComposeProject {
  /** The compose project name (`com.docker.compose.project` label value). */
  name: string;
  /** Absolute project directory: relative paths in the files resolve against it. */
  workingDir: string;
  /** Absolute paths of the compose files, in merge order. */
  composeFiles: string[];
  /** The `.env` file used for interpolation (absolute), or null when there was none. */
  envFile: string | null;
  /** Profiles enabled by COMPOSE_PROFILES (environment, then `.env`). */
  activeProfiles: string[];
  /** Services by name (object keys sorted by name). */
  services: Record<string, ComposeService>;
  /** Top-level networks by key, plus `default` when a service uses it. */
  networks: Record<string, ComposeNetwork>;
  /** Top-level named volumes by key. */
  volumes: Record<string, ComposeVolume>;
  /** Variables that were referenced without a default and were not set (compose uses an empty string). */
  unsetVariables: UnsetVariable[];
  /** Things compose would warn about (obsolete `version`, unsupported `extends`, unset variables, …). */
  warnings: string[];
  /** The merged, interpolated document. Some keys are in canonical form (see merge.ts). */
  raw: Record<string, unknown>;
}

export interface UnsetVariable {
  name: string;
  file: string;
  /** Key path inside the file, e.g. `services.glowworm-backend.environment.SECRET_KEY`. */
  path: string;
}

export interface ComposeService {
  name: string;
  /** `image:` as written (interpolated); null for a build-only service. */
  image: string | null;
  hasBuild: boolean;
  /** Explicit `container_name`, else null (see defaultContainerNames). */
  containerName: string | null;
  /** As written: a string is shell form, a list is exec form. Null when the image default applies. */
  command: string | string[] | null;
  entrypoint: string | string[] | null;
  /** `env_file` contents, then `environment`, merged. `KEY` without a value takes it from the environment or is
   * left out when unset, as compose does. */
  environment: Record<string, string>;
  /** Absolute paths of the env files that were read. */
  envFiles: string[];
  dependsOn: ServiceDependency[];
  healthcheck: Healthcheck | null;
  ports: PortMapping[];
  expose: string[];
  volumes: VolumeMount[];
  /** Networks the service joins; `default` when it names none and has no `network_mode`. */
  networks: ServiceNetwork[];
  networkMode: string | null;
  restart: string | null;
  labels: Record<string, string>;
  profiles: string[];
  /** False when the service has profiles and none of them is active. */
  active: boolean;
  user: string | null;
  workingDir: string | null;
  extraHosts: ExtraHost[];
  raw: Record<string, unknown>;
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ServiceDependency {
  service: string;
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
  /** True when the dependency comes from `links`, `volumes_from` or `network_mode: service:…`, not `depends_on`. */
  implicit: boolean;
}

export interface Healthcheck {
  /** `disable: true` or `test: ["NONE"]`. */
  disabled: boolean;
  /** Exec form; a string test becomes `["CMD-SHELL", test]` as compose does. Null: the image's test applies. */
  test: string[] | null;
  intervalMs: number | null;
  timeoutMs: number | null;
  retries: number | null;
  startPeriodMs: number | null;
  startIntervalMs: number | null;
}

export interface PortMapping {
  /** Container port. A short-syntax range is expanded into one mapping per port, as compose does. */
  target: number;
  /** Host port or host range as a string (`"3003"`, `"8000-8010"`); null when docker picks one. */
  published: string | null;
  hostIp: string | null;
  protocol: string;
  mode: string | null;
  /** The entry as written (after interpolation): a string for short syntax, an object for long syntax. */
  original: string | number | Record<string, unknown>;
}

export type MountType = 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';

export interface VolumeMount {
  type: MountType;
  /** Bind: absolute host path. Named volume: its real docker name (`<project>_<key>` unless external or `name:`).
   * Null for anonymous volumes and tmpfs. */
  source: string | null;
  /** For named volumes, the key under top-level `volumes:`. */
  volumeKey: string | null;
  target: string;
  readOnly: boolean;
  /** Short-syntax mode string (`ro`, `rw,z`, …) as written, else null. */
  mode: string | null;
  original: string | Record<string, unknown>;
}

export interface ServiceNetwork {
  /** Key under top-level `networks:` (`default` for the implicit network). */
  key: string;
  /** Real docker network name. */
  name: string;
  aliases: string[];
  ipv4Address: string | null;
  ipv6Address: string | null;
}

export interface ExtraHost {
  host: string;
  ip: string;
}

export interface ComposeNetwork {
  key: string;
  name: string;
  external: boolean;
  driver: string | null;
  raw: Record<string, unknown>;
}

export interface ComposeVolume {
  key: string;
  name: string;
  external: boolean;
  driver: string | null;
  raw: Record<string, unknown>;
}
