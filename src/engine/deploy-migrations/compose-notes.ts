// The comments glowworm writes into a compose file, and how they are found again: `added by …` above what a
// deployment migration adds (so its down() removes only that), `removed by …: key: [items]` where it took lines out
// (the user sees what went; down() reads them back), and yaml's habit of hanging a first item's comment on its
// collection.
import { isMap, isNode, isScalar, visit, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { addedByNote, isAddedByNote } from './added-by.js';

export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

const REMOVED = 'removed by glowworm deployment migration ';

export function removedNote(migration: string, key: string, items: string[]): string {
  return `${REMOVED}${migration}: ${key}: ${JSON.stringify(items)}`;
}

export function parseRemovedNote(line: string, migration: string): { key: string; items: string[] } | null {
  const prefix = `${REMOVED}${migration}: `;
  const text = line.trim();
  if (!text.startsWith(prefix)) return null;
  const rest = text.slice(prefix.length);
  const colon = rest.indexOf(': ');
  try {
    return { key: rest.slice(0, colon), items: JSON.parse(rest.slice(colon + 2)) as string[] };
  } catch {
    return null;
  }
}

export function isGlowwormNote(line: string): boolean {
  return isAddedByNote(line) || line.trim().startsWith(REMOVED);
}

/**
 * yaml hangs the comment above a collection's first item on the collection, not on the item: a note glowworm wrote
 * above the first key of a map it created (an `environment:`, a top-level `volumes:`) or above a service's first key
 * would not be found again once the file is read back. Put such comments back on the first item, where they print the
 * same and where the note-reading code (and a removal, which takes the note along) looks for them.
 */
export function hoistNotesOntoFirstItems(doc: Document.Parsed): void {
  const hoist = (collection: YAMLMap | YAMLSeq) => {
    const comment = collection.commentBefore;
    const first: unknown = collection.items[0];
    const holder = isMap(collection) ? (first as Pair | undefined)?.key : first;
    if (!comment || !comment.split('\n').some(isGlowwormNote) || !isNode(holder)) return;
    holder.commentBefore = [comment, holder.commentBefore].filter(Boolean).join('\n');
    collection.commentBefore = undefined;
  };
  visit(doc, { Map: (_, node) => hoist(node), Seq: (_, node) => hoist(node) });
}

export function hasAddedBy(node: unknown, migration: string): boolean {
  // Our note is the comment line right above the key; a comment the user wrote above it may come first.
  return isScalar(node) && isAddedByNote((node.commentBefore ?? '').split('\n').at(-1) ?? '', migration);
}

export function markAddedBy(node: Node, migration: string | undefined): void {
  if (migration) node.commentBefore = ` ${addedByNote(migration)}`;
}

/** `KEY=value` or `KEY` (a list-form environment item) → KEY. */
export function listEnvKey(item: unknown): string | null {
  return isScalar(item) && typeof item.value === 'string' ? item.value.split('=')[0]!.trim() : null;
}
