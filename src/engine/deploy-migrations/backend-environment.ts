// Settings a new service on the backend's image (the celery worker) takes over from the backend, so both talk to the
// same database with the same secret: references stay references (`${MYSQL_PASSWORD}`, defaults included), other
// values are copied as written (`MYSQL_PORT: 3306` stays a number), and a secret the backend has written literally
// becomes a `${KEY}` reference to `.env`, so no new copy of a secret lands in the compose file.
import { isSecretName } from '../secrets.js';
import type { DeployMigrationContext } from './types.js';

export function sharedBackendEnvironment(ctx: DeployMigrationContext, backend: string, keys: RegExp, forService: string): Record<string, unknown> {
  const written = ctx.compose.service(backend)['environment'];
  const asWritten = written && !Array.isArray(written) && typeof written === 'object' ? (written as Record<string, unknown>) : null;
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ctx.compose.serviceEnv(backend))) {
    if (!keys.test(key)) continue;
    if (value !== null && (value.includes('$') || !isSecretName(key))) {
      shared[key] = asWritten ? asWritten[key] : value;
      continue;
    }
    shared[key] = `\${${key}}`;
    if (!ctx.env.has(key)) ctx.note(`${forService} reads ${key} from .env, which does not set it: add it there.`);
  }
  return shared;
}

/** Written in the form the backend's environment uses: a `KEY=value` list or a mapping. */
export function inBackendForm(ctx: DeployMigrationContext, backend: string, env: Record<string, unknown>): unknown {
  return Array.isArray(ctx.compose.service(backend)['environment']) ? Object.entries(env).map(([k, v]) => `${k}=${String(v)}`) : env;
}
