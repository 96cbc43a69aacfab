// The throwaway server holds a copy we can always make again, so it trades durability for load speed: no
// doublewrite buffer (torn pages only matter after a crash, and a crashed copy is thrown away), the redo log not
// flushed at each commit (a restore commits once per extended INSERT), a buffer pool large enough to keep the
// copy's pages in memory, no binlog, no performance schema. All within a stated memory cap, enforced by the
// engine (the container's memory limit): half of it for the buffer pool, the rest for the server itself.
import { totalmem } from 'node:os';

const MIB = 1 << 20;

/** 1 GiB, or a quarter of this host's memory when that is less (never below 256 MiB). */
export function defaultMemoryCap(hostBytes = totalmem()): number {
  return Math.max(256 * MIB, Math.min(1024 * MIB, Math.floor(hostBytes / 4)));
}

/** Server options for a disposable copy, understood alike by mysqld 8 and MariaDB (ON/OFF, not 0/1, for enums). */
export function disposableServerFlags(memoryCapBytes: number): string[] {
  const pool = Math.max(128, Math.floor(memoryCapBytes / 2 / MIB));
  return [
    '--innodb-doublewrite=OFF',
    '--innodb-flush-log-at-trx-commit=0',
    `--innodb-buffer-pool-size=${pool}M`,
    '--innodb-log-file-size=256M',
    '--skip-log-bin',
    '--performance-schema=OFF',
  ];
}

/**
 * The throwaway's command: production's own (same options, so the copy behaves as production does), then the
 * disposable options, which win as later options do. Only when the command is server options (or the image's
 * default): a command that runs something else (a wrapper script) is kept as it is, untuned.
 */
export function disposableCommand(productionCmd: string[] | null, memoryCapBytes: number): { cmd: string[]; tuned: boolean } {
  const cmd = productionCmd ?? [];
  const first = cmd[0] ?? '-';
  if (!first.startsWith('-') && !/^(mysqld|mariadbd)$/.test(first)) return { cmd, tuned: false };
  return { cmd: [...cmd, ...disposableServerFlags(memoryCapBytes)], tuned: true };
}
