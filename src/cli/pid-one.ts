// In glowworm's own image the tool is PID 1, and the kernel gives PID 1 no default action for SIGINT or SIGTERM: with
// no handler, Ctrl-C at `docker run -it` and `docker stop` would be ignored (the latter until its SIGKILL, 10 s on).
// So as PID 1 glowworm exits as the default action would (128 + the signal's number) — unless a run installed its
// own handler (cli/drive.ts, cli/tui.ts: stop at the next safe point), which then decides alone.
import { constants } from 'node:os';

export function exitOnSignalsAsPidOne(pid: number = process.pid): void {
  if (pid !== 1) return;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const own = (): void => {
      if (process.listeners(signal).every((l) => l === own)) process.exit(128 + constants.signals[signal]);
    };
    process.on(signal, own);
  }
}
