// The rehearsal container's environment. It runs the new image's `alembic upgrade head` against the restored copy,
// and Alembic's env.py needs only where that database is and how to log in (upstream reads MYSQL_HOST/PORT/USER/
// PASSWORD/DATABASE through its settings; SECRET_KEY there defaults to empty). Production's environment is not
// copied: its SECRET_KEY, broker URLs and anything else a migration has no use for stay out of a container whose
// whole job is to run code we have not yet trusted.

/** The alias the copy's server has on the rehearsal's own network. */
export const REHEARSAL_DB_ALIAS = 'rehearsal-db';

/**
 * MYSQL_* pointed at the copy (root on the throwaway server), plus DATABASE_URL when the backend is configured by
 * one. `backendEnv` is read only to know that.
 */
export function rehearsalEnv(backendEnv: readonly string[], database: string, password: string): string[] {
  const env = [
    `MYSQL_HOST=${REHEARSAL_DB_ALIAS}`,
    'MYSQL_PORT=3306',
    'MYSQL_USER=root',
    `MYSQL_PASSWORD=${password}`,
    `MYSQL_DATABASE=${database}`,
  ];
  if (backendEnv.some((e) => e.startsWith('DATABASE_URL='))) {
    env.push(`DATABASE_URL=mysql+pymysql://root:${encodeURIComponent(password)}@${REHEARSAL_DB_ALIAS}:3306/${database}`);
  }
  return env;
}
