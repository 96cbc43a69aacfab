// The terminal going away (an SSH connection dropping, a window closed) sends SIGHUP, and by default the process dies
// on the spot: in the middle of an upgrade that leaves the app stopped, or a restore half done, until someone comes
// back. A run is better off finishing, or rolling back, on its own. So once installed, a hangup does not end the
// process: it answers "no" to a question nobody can answer any more (`hangup` aborts), and output to the terminal
// that is gone is dropped instead of crashing the process. The journal and `glowworm status` tell the outcome.

import { createInterface } from 'node:readline/promises';

const controller = new AbortController();

/** Aborted when the terminal hung up. */
export const hangup: AbortSignal = controller.signal;

let installed = false;

export function surviveHangup(): void {
  if (installed) return;
  installed = true;
  process.on('SIGHUP', () => {
    const drop = () => undefined;
    for (const stream of [process.stdout, process.stderr, process.stdin]) stream.on('error', drop);
    controller.abort();
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
