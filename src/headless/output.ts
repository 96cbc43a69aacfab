// Output that cannot kill a run. The reader of stdout may go away at any moment — `| head -n 20`, a closed SSH
// session, a full disk behind `> log` — and a write then fails (EPIPE, ENOSPC). In the middle of an upgrade the app
// is stopped and the lock held: the run must go on and end on its own (finished, or rolled back), and the exit code
// and the journal say how. So once the stream fails, the rest of the output is dropped, and a write never waits for
// a 'drain' that a broken stream will never send.
import type { Writable } from 'node:stream';

export class Output {
  private broken = false;

  constructor(private readonly stream: NodeJS.WritableStream) {
    // A listener makes the error handled (an unhandled 'error' event ends the process); it also marks the stream gone.
    stream.on('error', () => (this.broken = true));
  }

  /** Whether writes still reach the stream. */
  get open(): boolean {
    const s = this.stream as Partial<Writable>;
    return !this.broken && !s.destroyed && !s.writableEnded;
  }

  /** Writes, and waits while the stream is full; resolves (never rejects) once it drained, failed or closed. */
  async write(text: string): Promise<void> {
    if (!this.open) return;
    let flowing: boolean;
    try {
      flowing = this.stream.write(text);
    } catch {
      this.broken = true; // a write after the end throws synchronously on some streams
      return;
    }
    if (flowing || !this.open) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        for (const event of ['drain', 'error', 'close']) this.stream.off(event, done);
        resolve();
      };
      for (const event of ['drain', 'error', 'close']) this.stream.once(event, done);
    });
  }
}
