// Secret values (DB passwords, SECRET_KEY, probe tokens) must never reach stdout, stderr, the journal or a backup
// manifest (design.md rule 7). Every event passes through one Redactor before any consumer sees it, so a step cannot
// forget to redact. Values are learned as they are found: from `.env`, from containers' env, from tokens we mint.

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|_KEY$|^KEY$|PRIVATE|CREDENTIAL|API_KEY)/i;
const MASK = '***';

/** Whether an environment variable's name says it holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class Redactor {
  // Longest first, so a secret that contains another is masked whole.
  private values: string[] = [];

  add(value: string | undefined | null): void {
    // Very short values would mask ordinary words ("1", "on"); nobody's password is that short in practice.
    if (!value || value.length < 4 || this.values.includes(value)) return;
    this.values.push(value);
    // Encoded forms leak too: URL-encoding turns `/+=` into %2F %2B %3D.
    const encoded = encodeURIComponent(value);
    if (encoded !== value && !this.values.includes(encoded)) this.values.push(encoded);
    this.values.sort((a, b) => b.length - a.length);
  }

  /** Learn every secret-looking value of an env list (`KEY=value`) or map. */
  addFromEnv(env: string[] | Record<string, string | undefined> | undefined | null): void {
    if (!env) return;
    const pairs = Array.isArray(env)
      ? env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const)
      : Object.entries(env);
    for (const [name, value] of pairs) if (isSecretName(name)) this.add(value);
  }

  get size(): number {
    return this.values.length;
  }

  redactText(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  /** A deep copy with every string redacted. */
  redact<T>(value: T): T {
    if (this.values.length === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.walk(v);
      return out;
    }
    return value;
  }
}
