// Whether a process on this host still exists, and which process it is: the lock and the throwaway containers both
// record their maker's pid and judge it. A pid alone is not enough — after a reboot, or once pids wrap around, the
// same number names another program (pid 1 is always alive) — so the lock also records the process's start time and
// command line, read from /proc, and compares them.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** True when a process with this pid exists here; EPERM means it exists under another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ProcessIdentity {
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot. Two processes with one pid never share it in one boot. */
  startTime: string;
  /** /proc/<pid>/cmdline, split at its NULs. */
  cmdline: string[];
}

/** Who `pid` is, or null when this host cannot tell (no /proc, hidden by `hidepid`, or no such process). */
export function processIdentity(pid: number): ProcessIdentity | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 is the name in parentheses and may itself hold spaces and ')': count fields after the last ')'.
    // There, field 3 (the state) comes first, so field 22 is the 20th.
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    if (!startTime) return null;
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); // each argument ends with a NUL; a kernel thread has none
    return { startTime, cmdline: raw === '' ? [] : raw.replace(/\0$/, '').split('\0') };
  } catch {
    return null;
  }
}

/** This process, as `processIdentity` will read it back from another one. */
export function ownIdentity(): ProcessIdentity | null {
  return processIdentity(process.pid);
}

/**
 * Whether a command line is glowworm's: the launcher run directly (`glowworm …`, `/usr/local/bin/glowworm …`) or by
 * node (`node [node options] …/bin/glowworm …`, or the built entry `…/dist/src/cli/main.js`). Only the program and
 * the script it runs count, not later arguments: an editor open on /srv/glowworm/docker-compose.yml is not glowworm.
 */
export function isGlowwormCommand(cmdline: readonly string[]): boolean {
  const [program, ...rest] = cmdline;
  if (!program) return false;
  if (basename(program) === 'glowworm') return true;
  if (!/^node(js)?[\d.]*$/.test(basename(program))) return false;
  const script = rest.find((arg) => !arg.startsWith('-'));
  return !!script && (basename(script) === 'glowworm' || /(^|\/)dist\/src\/cli\/main\.js$/.test(script));
}
