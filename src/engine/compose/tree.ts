// The parsed compose tree: plain JSON-like values plus compose's `!reset` and `!override` YAML tags, which stay in the
// tree as marker values until the files are merged (merge.ts applies them): `!reset` removes what earlier files set,
// `!override` replaces it instead of merging.

export class ResetValue {
  readonly kind = 'reset';
}

export class OverrideValue {
  readonly kind = 'override';
  constructor(readonly value: unknown) {}
}

export const RESET = new ResetValue();

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof ResetValue) &&
    !(value instanceof OverrideValue);
}

/** `services.web.environment.KEY`, `services.web.command[1]`: how errors name a place in a compose file. */
export function formatKeyPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(top level)';
}
