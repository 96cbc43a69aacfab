// Which client binaries a DB container has: the mysql:8 image ships mysqldump/mysql, MariaDB images ship
// mariadb-dump/mariadb (often with mysql* links). Asked once per container, by running `<tool> --version`.
import type { DockerPort } from '../docker/port.js';
import { externalError } from '../errors.js';

export interface DbTools {
  dump: string;
  client: string;
}

async function firstThatRuns(docker: DockerPort, container: string, candidates: string[]): Promise<string | null> {
  for (const tool of candidates) {
    try {
      const r = await docker.exec(container, [tool, '--version']);
      if (r.exitCode === 0) return tool;
    } catch {
      // Docker reports a missing binary as a failed exec; try the next name.
    }
  }
  return null;
}

export async function findDbTools(docker: DockerPort, container: string): Promise<DbTools> {
  const dump = await firstThatRuns(docker, container, ['mysqldump', 'mariadb-dump']);
  const client = await firstThatRuns(docker, container, ['mysql', 'mariadb']);
  if (!dump || !client) {
    throw externalError(
      'backup.no-tools',
      `The database container ${container} has no ${dump ? 'mysql/mariadb client' : 'mysqldump/mariadb-dump'}.`,
      'GlowWorm uses the official mysql:8.0 image, which has both; a custom DB image needs them on PATH.',
    );
  }
  return { dump, client };
}

/** The client shipped beside a dump tool (same image, same package): what a copy from the same image runs. */
export function clientBeside(dumpTool: string): string {
  return dumpTool === 'mariadb-dump' ? 'mariadb' : 'mysql';
}

/**
 * The container's client reading SQL on stdin into `database`, as a restore by hand would run it. The client's own
 * packet limit (16 MB by default) would refuse a row the server takes: the server's is the limit met.
 */
export function clientLoadCommand(client: string, user: string, database: string): string[] {
  return [client, `--user=${user}`, '--default-character-set=utf8mb4', '--max-allowed-packet=1G', database];
}
