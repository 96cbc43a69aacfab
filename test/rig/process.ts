import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { DOCKER_BIN } from './paths.js';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Mirror the child's output on our stderr while it runs (long builds), still capturing it. */
  echo?: boolean;
  /** Kill the child (SIGTERM) after this long; the result then has code 124, like timeout(1). */
  timeoutMs?: number;
}

export class RigError extends Error {
  override readonly name = 'RigError';
}

/** Runs a program without a shell (arguments are never re-parsed) and collects its output. Never rejects on exit code. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
          }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: timedOut ? 124 : (code ?? (signal ? 128 : 1)),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like run(), but a non-zero exit becomes a RigError that quotes the command and the tail of its stderr. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-15).join('\n');
    throw new RigError(`\`${command} ${args.join(' ')}\` exited with ${result.code}:\n${tail}`);
  }
  return result;
}

/** The Debian docker CLI (not /usr/local/bin/docker, which is another client). */
export function docker(args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return run(DOCKER_BIN, args, options);
}

export function dockerChecked(args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return runChecked(DOCKER_BIN, args, options);
}

/** Starts a long-lived daemon in its own session (it outlives us), appending its output to logFile. */
export function spawnDaemon(command: string, args: readonly string[], logFile: string): number | undefined {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  return child.pid;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls check() until it returns a value other than undefined, or throws after timeoutMs with what it waited for. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new RigError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(500);
  }
}
