import { describe, expect, it } from 'vitest';
import { rehearsalEnv } from './rehearsal-env.js';

// The production backend's environment as the real compose file of the celery generation gives it.
const production = [
  'MYSQL_HOST=glowworm-mysql', 'MYSQL_PORT=3306', 'MYSQL_DATABASE=glowworm', 'MYSQL_USER=glowworm', 'MYSQL_PASSWORD=prod-db-secret',
  'SECRET_KEY=prod-secret-key', 'CELERY_BROKER_URL=redis://glowworm-redis:6379/0', 'CELERY_RESULT_BACKEND=redis://glowworm-redis:6379/0',
  'REDIS_URL=redis://glowworm-redis:6379/0', 'USE_CELERY=true', 'MYSQL_ROOT_PASSWORD=prod-root-secret', 'PATH=/usr/local/bin:/usr/bin',
];

describe('rehearsalEnv', () => {
  it('is the database settings pointed at the copy, and nothing of production', () => {
    const env = rehearsalEnv(production, 'glowworm', 'copy/pw+=');
    expect(env).toEqual(['MYSQL_HOST=rehearsal-db', 'MYSQL_PORT=3306', 'MYSQL_USER=root', 'MYSQL_PASSWORD=copy/pw+=', 'MYSQL_DATABASE=glowworm']);
    for (const value of ['prod-db-secret', 'prod-secret-key', 'prod-root-secret', 'redis://']) expect(env.join('\n')).not.toContain(value);
  });

  it('adds DATABASE_URL, for the copy and with the password quoted, only when the backend is configured by one', () => {
    const env = rehearsalEnv([...production, 'DATABASE_URL=mysql+pymysql://glowworm:prod-db-secret@glowworm-mysql:3306/glowworm'], 'glowworm', 'copy/pw+=');
    expect(env.at(-1)).toBe('DATABASE_URL=mysql+pymysql://root:copy%2Fpw%2B%3D@rehearsal-db:3306/glowworm');
    expect(env.join('\n')).not.toContain('prod-db-secret');
  });
});
