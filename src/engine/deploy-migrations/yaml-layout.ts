// Keeping a user's compose file looking like theirs after an edit. `yaml` keeps comments, quoting and key order, but
// re-stringifying still normalises a few things: flow-sequence padding, sequence indentation, long lines, whitespace-
// only lines, a blank line before a comment at the end of the file. We pick the stringify options the file already
// follows, then put back every original line that only differs from its re-stringified twin in trailing whitespace,
// and every run of blank lines the library alone added or dropped, so the diff a user reviews shows the edit only.
import { diffArrays } from 'diff';
import type { ToStringOptions } from 'yaml';

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

export function layoutOptions(source: string): ToStringOptions {
  const lines = source.split(/\r?\n/).filter((line) => line.trim() && !line.trimStart().startsWith('#'));
  const indents = lines.map((line) => line.length - line.trimStart().length).filter((n) => n > 0);
  // `key:` followed by `- item` at the same indentation means the file does not indent its sequences.
  let flushSequences = 0;
  let indentedSequences = 0;
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    if (!next || !/:\s*$/.test(line) || !next.trimStart().startsWith('- ')) return;
    const keyIndent = line.length - line.trimStart().length;
    const itemIndent = next.length - next.trimStart().length;
    if (itemIndent === keyIndent) flushSequences++;
    else indentedSequences++;
  });
  return {
    // Never fold: compose commands and healthchecks are long on purpose.
    lineWidth: 0,
    minContentWidth: 0,
    indent: indents.length ? Math.min(...indents) : 2,
    indentSeq: flushSequences <= indentedSequences,
    flowCollectionPadding: count(source, /[[{] [^\s\]}]/g) > count(source, /[[{][^\s\]}]/g),
  };
}

const allBlank = (lines: string[]) => lines.every((line) => line.trim() === '');

/**
 * `edited` with every line that equals (up to trailing whitespace) its counterpart in `original` taken from
 * `original`, blank-only insertions and removals undone, and the original's line endings. A blank line alone carries
 * no meaning in a compose file; inside a block scalar it would, but edits here never rewrite block scalars.
 */
export function keepUntouchedLines(original: string, edited: string): string {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const before = original.split(/\r?\n/);
  const after = edited.split(/\r?\n/);
  const out: string[] = [];
  let oldIndex = 0;
  let newIndex = 0;
  for (const change of diffArrays(before, after, { comparator: (a, b) => a.trimEnd() === b.trimEnd() })) {
    const n = change.count ?? change.value.length;
    if (change.added) {
      const added = after.slice(newIndex, newIndex + n);
      if (!allBlank(added)) out.push(...added);
      newIndex += n;
    } else if (change.removed) {
      const removed = before.slice(oldIndex, oldIndex + n);
      if (allBlank(removed)) out.push(...removed);
      oldIndex += n;
    } else {
      out.push(...before.slice(oldIndex, oldIndex + n));
      oldIndex += n;
      newIndex += n;
    }
  }
  return out.join(eol);
}
