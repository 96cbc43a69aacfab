// Run the real CLI (bin/glowworm, built dist) as a user would, collecting its NDJSON events, stdout and stderr.
// `killWhen` sends SIGKILL the moment an event matches: a crash at a chosen point, as real as it gets (or `signal`,
// e.g. SIGINT: Ctrl-C). `pauseWhen` stops the process (SIGSTOP) the moment an event matches, runs `whilePaused`, and
// lets it go on (SIGCONT): something done to the world at an exact point of a real run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JsonEvent } from '../../src/headless/json-schema.js';

export const BIN = fileURLToPath(new URL('../../bin/glowworm', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: JsonEvent[];
}

export function runGlowworm(
  args: string[],
  opts: {
    killWhen?: (e: JsonEvent) => boolean;
    signal?: NodeJS.Signals;
    pauseWhen?: (e: JsonEvent) => boolean;
    whilePaused?: (e: JsonEvent, seen: JsonEvent[]) => Promise<void>;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const events: JsonEvent[] = [];
    let paused: Promise<void> = Promise.resolve();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue; // only NDJSON lines are events
        const e = JSON.parse(line) as JsonEvent;
        events.push(e);
        if (opts.killWhen?.(e)) child.kill(opts.signal ?? 'SIGKILL');
        if (opts.pauseWhen?.(e)) {
          child.kill('SIGSTOP');
          paused = (opts.whilePaused?.(e, events) ?? Promise.resolve()).finally(() => child.kill('SIGCONT'));
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // A failure of what was done while paused fails the run's test, not silently.
      paused.then(() => resolve({ code, signal, stdout, stderr, events }), reject);
    });
  });
}

export function eventsOf<T extends JsonEvent['type']>(run: CliRun, type: T): Extract<JsonEvent, { type: T }>[] {
  return run.events.filter((e): e is Extract<JsonEvent, { type: T }> => e.type === type);
}
