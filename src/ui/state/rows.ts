// Long screens (the plan, doctor's reports) are built as plain rows first, then windowed by <ScrollWindow>. Rows
// carry their marker in the text (✔ ✘ !), so they read the same with colours off (NO_COLOR); `tone` only colours.
export type Tone = 'plain' | 'heading' | 'ok' | 'error' | 'warn' | 'dim' | 'added' | 'removed' | 'accent';

export interface Row {
  text: string;
  tone: Tone;
}

export const row = (text: string, tone: Tone = 'plain'): Row => ({ text, tone });

export const blank: Row = row('');

/** At most `max` rows of `items`, then one "… N more" row. */
export function capped<T>(items: readonly T[], max: number, toRow: (item: T) => Row, what: string): Row[] {
  const shown = items.slice(0, max).map(toRow);
  if (items.length > max) shown.push(row(`  … ${items.length - max} more ${what}`, 'dim'));
  return shown;
}

export function diffRows(diff: string, indent = '    '): Row[] {
  return diff.replace(/\n$/, '').split('\n').map((line) => {
    if (line.startsWith('+++') || line.startsWith('---')) return row(indent + line, 'heading');
    if (line.startsWith('+')) return row(indent + line, 'added');
    if (line.startsWith('-')) return row(indent + line, 'removed');
    if (line.startsWith('@@')) return row(indent + line, 'accent');
    return row(indent + line, 'dim');
  });
}

/** The window of rows to show: clamps the offset so the last page is full. */
export function windowOf(total: number, height: number, offset: number): { start: number; end: number } {
  const h = Math.max(1, height);
  const start = Math.max(0, Math.min(offset, total - h));
  return { start, end: Math.min(total, start + h) };
}

/** Rows as plain text, for the non-interactive twins of the doctor's reports. */
export function rowsText(rows: readonly Row[]): string {
  return rows.map((r) => r.text).join('\n');
}
