// Progress goes to stderr so that a verb's stdout stays machine-readable (up prints JSON on its last line).

export function say(message: string): void {
  process.stderr.write(`[rig] ${message}\n`);
}

/** Runs one named step and reports how long it took. */
export async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  say(`${step}: ${seconds(Date.now() - started)}`);
  return result;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
