import { MYSQL_IMAGE, REDIS_IMAGE, imageRef } from './fixture-images.js';
import { RELEASES, type RigVersion } from './releases.js';

export const COMPOSE_FILE_NAME = 'docker-compose.yml';

/** Every service name a rig stack can have (2.0.0 adds the scheduler). */
export const STACK_SERVICES = [
  'glowworm-mysql',
  'glowworm-redis',
  'glowworm-backend',
  'glowworm-frontend',
  'glowworm-celery-worker',
  'glowworm-scheduler',
] as const;
export type StackService = (typeof STACK_SERVICES)[number];

export function servicesOf(version: RigVersion): StackService[] {
  return STACK_SERVICES.filter((service) => service !== 'glowworm-scheduler' || RELEASES[version].needsDisplaySigningKey);
}

// The environment the backend image needs, shared by the backend, the worker and (2.0.0) the scheduler.
function backendEnvironment(version: RigVersion): string {
  const lines = [
    'MYSQL_HOST: glowworm-mysql',
    'MYSQL_PORT: 3306',
    'MYSQL_USER: ${MYSQL_USER:-glowworm}',
    'MYSQL_PASSWORD: ${MYSQL_PASSWORD}',
    'MYSQL_DATABASE: ${MYSQL_DATABASE:-glowworm}',
    'SECRET_KEY: ${SECRET_KEY}',
    'REDIS_URL: redis://glowworm-redis:6379/0',
    'LOG_LEVEL: ${LOG_LEVEL:-INFO}',
    ...(RELEASES[version].needsDisplaySigningKey ? ['DISPLAY_SIGNING_KEY: ${DISPLAY_SIGNING_KEY}'] : []),
  ];
  return lines.map((line) => `      ${line}`).join('\n');
}

// Services that run the backend image start once the database and redis are healthy (not the backend: the worker
// may run before the backend has migrated, as in the real file).
const AFTER_DATABASE_AND_REDIS = `    depends_on:
      glowworm-mysql:
        condition: service_healthy
      glowworm-redis:
        condition: service_healthy
    networks:
      - glowworm-network
`;

function celeryService(service: StackService, prefix: string, version: RigVersion, command: string): string {
  return `
  ${service}:
    image: ${imageRef('backend', version)}
    container_name: ${prefix}${service}
    restart: unless-stopped
    command: ${command}
    environment:
${backendEnvironment(version)}
${AFTER_DATABASE_AND_REDIS}`;
}

/**
 * docker-compose.yml shaped like GlowWorm's own (see glowworm-facts.md): no top-level `name:`, so the project is the
 * directory's name; the only published port is the frontend's. prefix is put before every container_name so several
 * stacks can run side by side (empty = exactly the real names). Image references are literal, as in the real file.
 */
export function composeFileText(version: RigVersion, prefix: string): string {
  const signing = RELEASES[version].needsDisplaySigningKey;
  return `# GlowWorm deployment written by the glowworm test rig (npm run rig -- up), shaped like the real docker-compose.yml.
# Healthchecks poll every 2s (the real file uses 30s) so that tests do not wait on them.
services:
  glowworm-mysql:
    image: ${MYSQL_IMAGE}
    container_name: ${prefix}glowworm-mysql
    restart: unless-stopped
    command: --default-authentication-plugin=mysql_native_password --skip-log-bin
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD}
      MYSQL_DATABASE: \${MYSQL_DATABASE:-glowworm}
      MYSQL_USER: \${MYSQL_USER:-glowworm}
      MYSQL_PASSWORD: \${MYSQL_PASSWORD}
    volumes:
      - mysql_data:/var/lib/mysql
    networks:
      - glowworm-network
    healthcheck:
      test: ["CMD", "mysqladmin", "ping", "-h", "localhost"]
      interval: 2s
      timeout: 5s
      retries: 30
      start_period: 10s

  glowworm-redis:
    image: ${REDIS_IMAGE}
    container_name: ${prefix}glowworm-redis
    restart: unless-stopped
    volumes:
      - redis_data:/data
    networks:
      - glowworm-network
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 2s
      timeout: 3s
      retries: 15

  glowworm-backend:
    image: ${imageRef('backend', version)}
    container_name: ${prefix}glowworm-backend
    restart: unless-stopped
    environment:
${backendEnvironment(version)}
    volumes:
      - ./data/uploads:/app/uploads
${AFTER_DATABASE_AND_REDIS}    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8001/health"]
      interval: 2s
      timeout: 5s
      retries: 30
      start_period: 60s

  glowworm-frontend:
    image: ${imageRef('frontend', version)}
    container_name: ${prefix}glowworm-frontend
    restart: unless-stopped
    ports:
      - "\${FRONTEND_PORT:-3003}:3003"
    environment:
      VITE_BACKEND_URL: http://glowworm-backend:8001
    depends_on:
      glowworm-backend:
        condition: service_healthy
    networks:
      - glowworm-network
${celeryService('glowworm-celery-worker', prefix, version, 'celery -A celery_app worker --beat --loglevel=info')}${
    signing ? celeryService('glowworm-scheduler', prefix, version, 'celery -A celery_app beat --loglevel=info') : ''
  }
volumes:
  mysql_data:
  redis_data:

networks:
  glowworm-network:
    driver: bridge
`;
}
