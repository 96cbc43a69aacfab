// Test input shaped like a real GlowWorm deployment (shared/glowworm-facts.md, "Compose"): the newest release's
// compose file with its comments, a whitespace-only line and mixed environment forms, and a `.env` whose generated
// passwords contain `/`, `+` and `=`, quoted three ways. Used by the unit tests only.

export function glowwormCompose(options: { containerPrefix?: string } = {}): string {
  const p = options.containerPrefix ?? '';
  return `# GlowWorm: docker compose deployment
services:
  # MySQL Database
  glowworm-mysql:
    image: mysql:8.0
    container_name: ${p}glowworm-mysql
    restart: unless-stopped
    command: --default-authentication-plugin=mysql_native_password --skip-log-bin
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD}
      MYSQL_DATABASE: \${MYSQL_DATABASE:-glowworm}
      MYSQL_USER: \${MYSQL_USER:-glowworm}
      MYSQL_PASSWORD: \${MYSQL_PASSWORD}
    volumes:
      - mysql_data:/var/lib/mysql
    # No ports exposed - only accessible within Docker network
    networks:
      - glowworm-network
    healthcheck:
      test: ["CMD", "mysqladmin", "ping", "-h", "localhost", "-u", "root", "-p\${MYSQL_ROOT_PASSWORD}"]
      interval: 30s
      timeout: 10s
      retries: 5
      start_period: 30s

  # Redis (celery broker)
  glowworm-redis:
    image: redis:7-alpine
    container_name: ${p}glowworm-redis
    restart: unless-stopped
    volumes:
      - redis_data:/data
    networks:
      - glowworm-network
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 10s
      timeout: 5s
      retries: 5

  # Backend API
  glowworm-backend:
    image: "nickstephens/glowworm-backend:test"
    container_name: ${p}glowworm-backend
    restart: unless-stopped
    environment:
      # Database connection
      MYSQL_HOST: glowworm-mysql
      MYSQL_PORT: 3306
      MYSQL_DATABASE: \${MYSQL_DATABASE:-glowworm}
      MYSQL_USER: \${MYSQL_USER:-glowworm}
      MYSQL_PASSWORD: \${MYSQL_PASSWORD}
      REDIS_URL: redis://glowworm-redis:6379/0
      
      # Application settings
      SECRET_KEY: \${SECRET_KEY}
      SERVER_BASE_URL: \${SERVER_BASE_URL:-http://localhost}

      # Logging
      LOG_LEVEL: \${LOG_LEVEL:-INFO}
    volumes:
      - ./data/uploads:/app/uploads
    depends_on:
      glowworm-mysql:
        condition: service_healthy
      glowworm-redis:
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
    image: nickstephens/glowworm-frontend:test
    container_name: ${p}glowworm-frontend
    restart: unless-stopped
    ports:
      - "\${FRONTEND_PORT:-3003}:3003"
    environment:
      - VITE_BACKEND_URL=http://glowworm-backend:8001
    depends_on:
      glowworm-backend:
        condition: service_healthy
    networks:
      - glowworm-network

  # Celery worker: background jobs (starts before the backend has migrated)
  glowworm-celery-worker:
    image: "nickstephens/glowworm-backend:test"
    container_name: ${p}glowworm-celery-worker
    restart: unless-stopped
    command: celery -A celery_app worker --beat --loglevel=info
    environment:
      MYSQL_HOST: glowworm-mysql
      MYSQL_PASSWORD: \${MYSQL_PASSWORD}
      REDIS_URL: redis://glowworm-redis:6379/0
      SECRET_KEY: \${SECRET_KEY}
    depends_on:
      glowworm-mysql:
        condition: service_healthy
      glowworm-redis:
        condition: service_healthy
    networks:
      - glowworm-network

volumes:
  mysql_data:
    driver: local
  redis_data:
    driver: local

networks:
  glowworm-network:
    driver: bridge
`;
}

/** The three passwords as compose reads them (quotes removed). */
export const ENV_SECRETS = {
  MYSQL_ROOT_PASSWORD: 'r0Ot/pa+ss=word==',
  MYSQL_PASSWORD: 'db+pass/with=signs',
  SECRET_KEY: 'k3y/+=secret+tail',
};

export function glowwormEnv(): string {
  return [
    '# GlowWorm settings (written by setup.sh)',
    `MYSQL_ROOT_PASSWORD=${ENV_SECRETS.MYSQL_ROOT_PASSWORD}`,
    `MYSQL_PASSWORD="${ENV_SECRETS.MYSQL_PASSWORD}"`,
    `SECRET_KEY='${ENV_SECRETS.SECRET_KEY}'`,
    '',
    'FRONTEND_PORT=3003   # the only published port',
    '# LOG_LEVEL=DEBUG',
    '',
  ].join('\n');
}
