// Whether a process on this host still exists: the lock and the throwaway containers both record their maker's pid
// and judge it the same way.

/** True when a process with this pid exists here; EPERM means it exists under another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
