// Writing docker-compose.yml text service by service, in the layout of GlowWorm's own file (literal image names,
// container_name, restart: unless-stopped, one bridge network). Shared by the rig model's and the real-shaped files.

export const COMPOSE_FILE_NAME = 'docker-compose.yml';

/** Every service name a rig stack can have. */
export const STACK_SERVICES = [
  'glowworm-mysql',
  'glowworm-redis',
  'glowworm-backend',
  'glowworm-frontend',
  'glowworm-celery-worker',
] as const;
export type StackService = (typeof STACK_SERVICES)[number];

export interface Healthcheck {
  /** The healthcheck's test as a YAML flow sequence, e.g. `["CMD", "redis-cli", "ping"]`. */
  test: string;
  timeout: string;
  retries: number;
  startPeriod?: string;
}

export interface ServiceSpec {
  name: StackService;
  image: string;
  command?: string;
  /** `KEY: value` lines. */
  environment?: string[];
  volumes?: string[];
  ports?: string[];
  /** Services this one waits for, until healthy. */
  dependsOn?: StackService[];
  healthcheck?: Healthcheck;
}

// Every rig healthcheck polls every 2 s (the real files use 10–30 s) so that tests do not wait on them.
const HEALTHCHECK_INTERVAL = '2s';

const list = (key: string, items: readonly string[] | undefined, quote = false): string[] =>
  items?.length ? [`${key}:`, ...items.map((item) => `  - ${quote ? `"${item}"` : item}`)] : [];

function serviceLines(spec: ServiceSpec, prefix: string): string[] {
  const health = spec.healthcheck;
  return [
    `image: ${spec.image}`,
    `container_name: ${prefix}${spec.name}`,
    'restart: unless-stopped',
    ...(spec.command ? [`command: ${spec.command}`] : []),
    ...(spec.environment?.length ? ['environment:', ...spec.environment.map((line) => `  ${line}`)] : []),
    ...list('volumes', spec.volumes),
    ...list('ports', spec.ports, true),
    ...(spec.dependsOn?.length
      ? ['depends_on:', ...spec.dependsOn.flatMap((name) => [`  ${name}:`, '    condition: service_healthy'])]
      : []),
    'networks:',
    '  - glowworm-network',
    ...(health
      ? [
          'healthcheck:',
          `  test: ${health.test}`,
          `  interval: ${HEALTHCHECK_INTERVAL}`,
          `  timeout: ${health.timeout}`,
          `  retries: ${health.retries}`,
          ...(health.startPeriod ? [`  start_period: ${health.startPeriod}`] : []),
        ]
      : []),
  ];
}

/** The whole file: no top-level `name:`, so the project (and the volume prefix) is the directory's name. */
export function composeDocument(header: string, services: readonly ServiceSpec[], prefix: string, volumes: readonly string[]): string {
  const blocks = services.map((spec) => [`  ${spec.name}:`, ...serviceLines(spec, prefix).map((line) => `    ${line}`)].join('\n'));
  const volumeBlock = volumes.length ? `\nvolumes:\n${volumes.map((name) => `  ${name}:\n    driver: local`).join('\n')}\n` : '';
  return `${header
    .split('\n')
    .map((line) => `# ${line}`)
    .join('\n')}\nservices:\n${blocks.join('\n\n')}\n${volumeBlock}\nnetworks:\n  glowworm-network:\n    driver: bridge\n`;
}

export const MYSQL_ENVIRONMENT = [
  'MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}',
  'MYSQL_DATABASE: ${MYSQL_DATABASE:-glowworm}',
  'MYSQL_USER: ${MYSQL_USER:-glowworm}',
  'MYSQL_PASSWORD: ${MYSQL_PASSWORD}',
];

/** How the backend image reaches the database (backend and worker). */
export const BACKEND_DATABASE_ENVIRONMENT = [
  'MYSQL_HOST: glowworm-mysql',
  'MYSQL_PORT: 3306',
  'MYSQL_DATABASE: ${MYSQL_DATABASE:-glowworm}',
  'MYSQL_USER: ${MYSQL_USER:-glowworm}',
  'MYSQL_PASSWORD: ${MYSQL_PASSWORD}',
];

export function mysqlService(image: string, volumes: string[], healthTest: string, environment = MYSQL_ENVIRONMENT): ServiceSpec {
  return {
    name: 'glowworm-mysql',
    image,
    // MySQL-8-only flag of the real file; the rig's MariaDB stand-in drops it with a note.
    command: '--default-authentication-plugin=mysql_native_password --skip-log-bin',
    environment,
    volumes,
    healthcheck: { test: healthTest, timeout: '5s', retries: 30, startPeriod: '10s' },
  };
}

export function redisService(image: string, command?: string, environment?: string[]): ServiceSpec {
  return {
    name: 'glowworm-redis',
    image,
    command,
    environment,
    volumes: ['redis_data:/data'],
    healthcheck: { test: '["CMD", "redis-cli", "ping"]', timeout: '3s', retries: 15 },
  };
}

export const BACKEND_HEALTHCHECK: Healthcheck = {
  test: '["CMD", "curl", "-f", "http://localhost:8001/health"]',
  timeout: '5s',
  retries: 30,
  startPeriod: '60s',
};
