// The log of a container the rollback is about to remove (the new backend that failed its migration), kept in the
// run's folder: after a rollback the failed container is gone, and with it the traceback the user needs. Redacted,
// 0600, the last few thousand lines.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DockerPort, LogLine } from '../docker/port.js';
import type { Redactor } from '../secrets.js';
import { runsDir } from './journal.js';

const KEPT_LINES = 3000;

function keptLogPath(workDir: string, service: string): string {
  return join(workDir, 'logs', `${service}.log`);
}

/** One line a line: `stdout<TAB>text` / `stderr<TAB>text`. */
export async function keepContainerLog(docker: DockerPort, container: string, workDir: string, service: string, redactor: Redactor): Promise<number> {
  const lines: string[] = [];
  for await (const line of docker.logs(container, { follow: false, tail: KEPT_LINES })) lines.push(`${line.stream}\t${redactor.redactText(line.text)}`);
  if (lines.length === 0) return 0;
  await mkdir(join(workDir, 'logs'), { recursive: true, mode: 0o700 });
  await writeFile(keptLogPath(workDir, service), `${lines.join('\n')}\n`, { mode: 0o600 });
  return lines.length;
}

/** The log kept for `service` by the newest run that kept one, with that run's id; null when none did. */
export async function newestKeptLog(projectDir: string, service: string): Promise<{ runId: string; lines: LogLine[] } | null> {
  const runs = (await readdir(runsDir(projectDir), { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name).sort().reverse();
  for (const runId of runs) {
    const text = await readFile(keptLogPath(join(runsDir(projectDir), runId), service), 'utf8').catch(() => null);
    if (text === null) continue;
    const lines = text.split('\n').filter(Boolean).map((l): LogLine => {
      const tab = l.indexOf('\t');
      return { stream: l.slice(0, tab) === 'stderr' ? 'stderr' : 'stdout', text: l.slice(tab + 1) };
    });
    return { runId, lines };
  }
  return null;
}
