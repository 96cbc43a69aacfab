// Test input shaped like a real GlowWorm deployment of late October 2025 (shared/glowworm-facts.md, "Real releases"):
// three services only (no redis, no worker); MySQL's data in the bind mount ./data/mysql plus ./docker/mysql/init.sql
// mounted into /docker-entrypoint-initdb.d/; images on `:latest`; the backend's port published as
// ${BACKEND_PORT:-8001}:8001; the frontend on 3003 with no VITE_BACKEND_URL; no top-level volumes. Its `.env` is the
// newest fixture's (passwords with `/ + =`). Plus the facts the engine would gather about such a host. Unit tests only.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CELERY_APP } from './glowworm-services.js';
import { makeTempProject, type TempProject } from './temp-project.fixture.js';
import type { DeploymentFacts, RunningMount } from './types.js';

export function octoberCompose(options: { backendTag?: string } = {}): string {
  const tag = options.backendTag ?? 'latest';
  return `services:
  # MySQL Database
  glowworm-mysql:
    image: mysql:8.0
    container_name: glowworm-mysql
    restart: unless-stopped
    command: --default-authentication-plugin=mysql_native_password
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD}
      MYSQL_DATABASE: \${MYSQL_DATABASE:-glowworm}
      MYSQL_USER: \${MYSQL_USER:-glowworm}
      MYSQL_PASSWORD: \${MYSQL_PASSWORD}
    volumes:
      - ./data/mysql:/var/lib/mysql
      - ./docker/mysql/init.sql:/docker-entrypoint-initdb.d/init.sql:ro
    # No ports exposed - only accessible within Docker network
    networks:
      - glowworm-network
    healthcheck:
      test: ["CMD", "mysqladmin", "ping", "-h", "localhost", "-u", "root", "-p\${MYSQL_ROOT_PASSWORD}"]
      interval: 30s
      timeout: 10s
      retries: 5
      start_period: 30s

  # Backend API
  glowworm-backend:
    image: nickstephens/glowworm-backend:${tag}
    container_name: glowworm-backend
    restart: unless-stopped
    environment:
      # Database connection
      MYSQL_HOST: glowworm-mysql
      MYSQL_PORT: 3306
      MYSQL_DATABASE: \${MYSQL_DATABASE:-glowworm}
      MYSQL_USER: \${MYSQL_USER:-glowworm}
      MYSQL_PASSWORD: \${MYSQL_PASSWORD}
      
      # Application settings
      SECRET_KEY: \${SECRET_KEY}
      SERVER_BASE_URL: \${SERVER_BASE_URL:-http://localhost}
      UPLOAD_DIRECTORY: \${UPLOAD_DIRECTORY:-uploads}

      # Logging
      LOG_LEVEL: \${LOG_LEVEL:-INFO}
    volumes:
      - ./data/uploads:/app/uploads
    ports:
      - "\${BACKEND_PORT:-8001}:8001"
    depends_on:
      glowworm-mysql:
        condition: service_healthy
    networks:
      - glowworm-network
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8001/health"]
      interval: 30s
      timeout: 10s
      retries: 3
      start_period: 40s

  # Frontend Web Interface
  glowworm-frontend:
    image: nickstephens/glowworm-frontend:latest
    container_name: glowworm-frontend
    restart: unless-stopped
    ports:
      - "\${FRONTEND_PORT:-3003}:3003"
    depends_on:
      glowworm-backend:
        condition: service_healthy
    networks:
      - glowworm-network

networks:
  glowworm-network:
    driver: bridge
`;
}

/** A temp project (newest fixture's `.env`, 0600; compose 0644) holding the October compose file. */
export async function makeOctoberProject(options: { backendTag?: string } = {}): Promise<TempProject> {
  const project = await makeTempProject();
  await writeFile(project.composeFile, octoberCompose(options));
  return project;
}

export function bindMount(source: string, destination: string): RunningMount {
  return { type: 'bind', source, name: null, destination };
}

export function volumeMount(name: string, destination: string): RunningMount {
  return { type: 'volume', source: `/var/lib/docker/volumes/${name}/_data`, name, destination };
}

/** Compose's project name for a directory, as docker-compose 1.29 derives it (lower case, letters and digits only). */
export function projectNameOf(dir: string): string {
  return dir.split('/').at(-1)!.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The facts for a host running the October stack in `project.dir`: its containers mount what the October file says;
 * `celery`: whether the target backend image has celery_app.py (the November generation) or not (October itself).
 */
export function octoberFacts(project: TempProject, target: { celery: boolean }): DeploymentFacts {
  const dir = project.dir;
  return {
    targetBackendFiles: { [CELERY_APP]: target.celery },
    targetRevisions: [],
    running: {
      'glowworm-mysql': {
        mounts: [
          bindMount(join(dir, 'data/mysql'), '/var/lib/mysql'),
          bindMount(join(dir, 'docker/mysql/init.sql'), '/docker-entrypoint-initdb.d/init.sql'),
        ],
      },
      'glowworm-backend': { mounts: [bindMount(join(dir, 'data/uploads'), '/app/uploads')] },
      'glowworm-frontend': { mounts: [] },
    },
    project: { dir, name: projectNameOf(dir) },
  };
}
