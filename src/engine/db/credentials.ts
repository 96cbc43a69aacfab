// Database credentials come from the running containers' environment (design.md rule 7), never from the user's
// keyboard or argv: the DB container knows its root password (MYSQL_ROOT_PASSWORD / MARIADB_ROOT_PASSWORD) and the
// database name; the backend knows the app user. Root is preferred: restore and reset need it.
import { userError } from '../errors.js';
import type { Redactor } from '../secrets.js';

export interface DbCredentials {
  user: string;
  password: string;
  database: string;
  /** Where the host reaches the server (a bridge IP), and the port inside the container. */
  host: string;
  port: number;
}

export function envMap(env: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of env) {
    const i = entry.indexOf('=');
    if (i > 0) out[entry.slice(0, i)] = entry.slice(i + 1);
  }
  return out;
}

export function credentialsFromEnv(
  dbEnv: string[],
  backendEnv: string[] | null,
  host: string,
  redactor: Redactor,
): DbCredentials {
  const db = envMap(dbEnv);
  const app = envMap(backendEnv ?? []);
  const database = db['MYSQL_DATABASE'] ?? db['MARIADB_DATABASE'] ?? app['MYSQL_DATABASE'] ?? app['DB_NAME'];
  const rootPassword = db['MYSQL_ROOT_PASSWORD'] ?? db['MARIADB_ROOT_PASSWORD'];
  const user = rootPassword ? 'root' : (db['MYSQL_USER'] ?? app['MYSQL_USER']);
  const password = rootPassword ?? db['MYSQL_PASSWORD'] ?? app['MYSQL_PASSWORD'];
  if (!database) {
    throw userError(
      'db.no-database-name',
      'Cannot tell which database GlowWorm uses: neither the DB container nor the backend has MYSQL_DATABASE set.',
      'Set MYSQL_DATABASE in the compose file (the GlowWorm default is "glowworm").',
    );
  }
  if (!user || password === undefined) {
    throw userError(
      'db.no-credentials',
      'Cannot find database credentials in the containers\' environment (MYSQL_ROOT_PASSWORD or MYSQL_USER/MYSQL_PASSWORD).',
      'GlowWorm\'s compose file passes them from .env; check that the DB container was created with them.',
    );
  }
  redactor.add(password);
  const port = Number(app['MYSQL_PORT'] ?? 3306) || 3306;
  return { user, password, database, host, port };
}
