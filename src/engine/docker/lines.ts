// Splits a byte stream into text lines without holding more than one partial line. A line longer than `maxLine` is
// cut (a runaway log line must not grow memory without bound).
export class LineSplitter {
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLine = 16 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.replace(/\r$/, ''));
    if (this.partial.length > this.maxLine) {
      this.onLine(this.partial.slice(0, this.maxLine));
      this.partial = '';
    }
  }

  flush(): void {
    if (this.partial) this.onLine(this.partial.replace(/\r$/, ''));
    this.partial = '';
  }
}
