// The terminal going away (an SSH connection dropping, a window closed) sends SIGHUP, and by default the process dies
// on the spot: in the middle of an upgrade that leaves the app stopped, or a restore half done, until someone comes
// back. A run is better off finishing, or rolling back, on its own. So once installed, a hangup does not end the
// process: it answers "no" to a question nobody can answer any more (`hangup` aborts). The journal and
// `glowworm status` tell the outcome.
//
// The same holds for output nobody reads any more, with or without a hangup: `glowworm upgrade --json | head -n 20`
// closes stdout after 20 lines, and the next write fails with EPIPE, an 'error' event that, unhandled, ends the
// process just as abruptly. `dropOutputErrors` makes stdout and stderr errors harmless for the whole process.

import { createInterface } from 'node:readline/promises';

const controller = new AbortController();

/** Aborted when the terminal hung up. */
export const hangup: AbortSignal = controller.signal;

let installed = false;

export function surviveHangup(): void {
  if (installed) return;
  installed = true;
  dropOutputErrors();
  process.on('SIGHUP', () => {
    process.stdin.on('error', () => undefined); // reading a terminal that is gone fails too
    controller.abort();
  });
}

let dropping = false;

/**
 * From now on, an error writing stdout or stderr does not end the process: that stream's output is dropped (the
 * writers stop writing to it, see headless/output.ts). Stdout failing is said once on stderr, if that still works,
 * since the person at the terminal just lost the run's last words.
 */
export function dropOutputErrors(): void {
  if (dropping) return;
  dropping = true;
  let told = false;
  process.stderr.on('error', () => undefined);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (told || process.stderr.destroyed) return;
    told = true;
    process.stderr.write(`glowworm: stdout is gone (${error.code ?? error.message}); going on without it. The exit code, and \`glowworm status\` afterwards, say how it ended.\n`);
  });
}

/** A line typed at a prompt on stderr; rejects if the terminal hangs up first. */
export async function askLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question, { signal: hangup })).trim();
  } finally {
    rl.close();
  }
}
