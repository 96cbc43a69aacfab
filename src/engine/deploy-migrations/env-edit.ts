// Editing the user's `.env` without touching anything else in it: every byte of every line we do not add or remove
// stays as it was (comments, order, quoting, blank lines, CRLF). Added values are written bare when compose (v1 and
// v2) reads them literally that way, as GlowWorm's own `.env` files are: no `$`, quote, `#`, backslash or space. A
// generated secret (base64: letters, digits, `/`, `+`, `=`) always is. Anything else is single-quoted.
import { randomBytes } from 'node:crypto';
import { isSecretName } from '../secrets.js';
import { addedByNote, isAddedByNote } from './added-by.js';

const STATEMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[=:][ \t]*(.*)$/;

interface Statement {
  key: string;
  /** Index of its first line in `lines`, and one past its last (a quoted value may span lines). */
  start: number;
  end: number;
  value: string;
}

/** A new secret for `.env`: base64 of 32 random bytes (may contain `/`, `+`, `=`; never `$`, `'` or a newline). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64');
}

const LITERAL_WHEN_BARE = /^[A-Za-z0-9_.\/+=:@%,-]+$/;

/** The value as compose must read it back, byte for byte, with no interpolation. */
export function formatEnvValue(value: string): string {
  if (LITERAL_WHEN_BARE.test(value)) return value;
  if (/['\r\n]/.test(value)) throw new Error('A value for .env that contains a single quote or a newline cannot be single-quoted.');
  return `'${value}'`;
}

function stripTerminator(line: string): string {
  return line.replace(/\r?\n$/, '');
}

function unquote(raw: string): string {
  const quote = raw[0];
  if (quote === "'" || quote === '"') {
    const close = raw.lastIndexOf(quote);
    const inner = close > 0 ? raw.slice(1, close) : raw.slice(1);
    return quote === "'" ? inner : inner.replace(/\\(["\\$])/g, '$1').replace(/\\n/g, '\n');
  }
  const comment = /\s#/.exec(raw);
  return (comment ? raw.slice(0, comment.index) : raw).trimEnd();
}

/** Whether `text` (from just after an opening quote) closes it. */
function closes(text: string, quote: string): boolean {
  return quote === "'" ? text.includes("'") : /(^|[^\\])(\\\\)*"/.test(text);
}

export class EnvFile {
  private constructor(
    /** Each line with its own terminator, so joining them gives the file back byte for byte. */
    private lines: string[],
    private existed: boolean,
    private readonly eol: string,
  ) {}

  /** `null` text: the file does not exist (yet). */
  static parse(text: string | null): EnvFile {
    const source = text ?? '';
    return new EnvFile(source.match(/[^\n]*\n|[^\n]+$/g) ?? [], text !== null, source.includes('\r\n') ? '\r\n' : '\n');
  }

  /** The file's text, or null when it did not exist and still holds nothing. */
  toString(): string | null {
    return !this.existed && this.lines.length === 0 ? null : this.lines.join('');
  }

  keys(): string[] {
    return this.statements().map((s) => s.key);
  }

  has(key: string): boolean {
    return this.statements().some((s) => s.key === key);
  }

  /** The value compose would read (the last definition wins, as in compose). */
  get(key: string): string | undefined {
    return this.statements().filter((s) => s.key === key).at(-1)?.value;
  }

  /** Values of the keys whose names say they hold secrets, for redaction. */
  secretValues(): string[] {
    return this.statements().filter((s) => isSecretName(s.key)).map((s) => s.value);
  }

  /** Add KEY at the end, only if it is absent. Returns whether it was added. */
  add(key: string, value: string, options: { addedBy?: string } = {}): boolean {
    if (this.has(key)) return false;
    const last = this.lines.at(-1);
    if (last !== undefined && !last.endsWith('\n')) this.lines[this.lines.length - 1] = last + this.eol;
    if (options.addedBy) this.lines.push(`# ${addedByNote(options.addedBy)}${this.eol}`);
    this.lines.push(`${key}=${formatEnvValue(value)}${this.eol}`);
    this.existed = true;
    return true;
  }

  /** Remove every definition of KEY, with glowworm's "added by" comment above it. Returns whether any was removed. */
  remove(key: string): boolean {
    const doomed = this.statements().filter((s) => s.key === key);
    for (const statement of doomed.reverse()) {
      const above = statement.start - 1;
      const start = above >= 0 && this.isAddedByLine(above) ? above : statement.start;
      this.lines.splice(start, statement.end - start);
    }
    return doomed.length > 0;
  }

  /** Whether KEY is preceded by the comment `migration` writes when it adds a key. */
  isAddedBy(key: string, migration: string): boolean {
    const statement = this.statements().find((s) => s.key === key);
    return !!statement && statement.start > 0 && this.isAddedByLine(statement.start - 1, migration);
  }

  private isAddedByLine(index: number, migration?: string): boolean {
    const line = stripTerminator(this.lines[index]!).trim();
    return line.startsWith('#') && isAddedByNote(line.slice(1), migration);
  }

  private statements(): Statement[] {
    const out: Statement[] = [];
    for (let i = 0; i < this.lines.length; i++) {
      const match = STATEMENT.exec(stripTerminator(this.lines[i]!));
      if (!match) continue;
      const start = i;
      let raw = match[2]!;
      const quote = raw[0];
      if ((quote === "'" || quote === '"') && !closes(raw.slice(1), quote)) {
        // A quoted value that goes on over the next lines, up to the line that closes the quote.
        while (i + 1 < this.lines.length && !closes(stripTerminator(this.lines[i + 1]!), quote)) raw += '\n' + stripTerminator(this.lines[++i]!);
        if (i + 1 < this.lines.length) raw += '\n' + stripTerminator(this.lines[++i]!);
      }
      out.push({ key: match[1]!, start, end: i + 1, value: unquote(raw) });
    }
    return out;
  }
}
