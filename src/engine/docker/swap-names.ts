// The names a container goes by while glowworm recreates it (operations/recreate.ts): the new one is created as
// `<name>-glowworm-new-<run>`, the old one is renamed `<name>-glowworm-old-<run>` until the run commits. A run
// stopped between two renames leaves neither at `<name>`, so whoever reads the engine afterwards (observe, the
// salvage, recover) must see through the suffix to the name compose gives the container.

export interface SwapNames {
  /** The container's real name (compose's `container_name` or `<project>-<service>-1`). */
  name: string;
  temp: string;
  aside: string;
}

export function swapNames(name: string, runId: string): SwapNames {
  return { name, temp: `${name}-glowworm-new-${runId}`, aside: `${name}-glowworm-old-${runId}` };
}

// Run ids are `YYYYMMDD-HHMMSS-xxxx` (commands/run-command.ts).
const SWAP_SUFFIX = /-glowworm-(new|old)-\d{8}-\d{6}-[0-9a-f]{4}$/;

/** `x-glowworm-old-20261202-161726-78ec` → `x`; any other name as it is. */
export function realName(containerName: string): string {
  return containerName.replace(SWAP_SUFFIX, '');
}

/** 0 for a name compose gave, 1 for an old container put aside, 2 for a new one prepared: the order in which to
 * trust them as the service's container (the one put aside is what served before the run). */
export function swapRank(containerName: string): 0 | 1 | 2 {
  const m = SWAP_SUFFIX.exec(containerName);
  return !m ? 0 : m[1] === 'old' ? 1 : 2;
}
