// Edits of a compose file's lists and small maps that deployment migrations need: a service's `ports`/`volumes`
// items (added with an `added by` note, removed with a `removed by` receipt that restoreRemoved() reads back),
// `depends_on` entries, and top-level named volumes.
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { ComposeDocumentBase } from './compose-document-base.js';
import { hasAddedBy, markAddedBy, parseRemovedNote, removedNote } from './compose-notes.js';

export interface AddedByOption {
  /** The migration's name; written as a comment above what is added. */
  addedBy?: string;
}

export class ComposeLists extends ComposeDocumentBase {
  /** A top-level section (`volumes`, `networks`) as plain data; empty when the file has none. */
  topLevel(section: string): Record<string, unknown> {
    const node = this.doc.get(section, true);
    return isMap(node) ? (node.toJS(this.doc) as Record<string, unknown>) ?? {} : {};
  }

  hasTopLevelVolume(key: string): boolean {
    const volumes = this.doc.get('volumes', true);
    return isMap(volumes) && this.indexOf(volumes, key) >= 0;
  }

  /** Declare a named volume under top-level `volumes:` (created when missing); `external` pins an existing Docker volume. */
  addTopLevelVolume(key: string, options: AddedByOption & { external?: string } = {}): void {
    let volumes = this.doc.get('volumes', true);
    if (!isMap(volumes)) {
      volumes = this.doc.createNode({});
      this.doc.set('volumes', volumes);
    }
    const map = volumes as YAMLMap;
    if (this.indexOf(map, key) >= 0) return;
    const pair = this.doc.createPair(key, options.external ? { external: true, name: options.external } : null) as Pair<Scalar, Node>;
    markAddedBy(pair.key, options.addedBy);
    map.items.push(pair);
    this.edited = true;
  }

  /** Remove a top-level volume `migration` declared (one the user declared stays); a `volumes:` left empty goes too. */
  removeTopLevelVolumeAddedBy(key: string, migration: string): boolean {
    const volumes = this.doc.get('volumes', true);
    if (!isMap(volumes) || !hasAddedBy(volumes.items[this.indexOf(volumes, key)]?.key, migration)) return false;
    this.removeKey(volumes, key);
    if (isMap(this.doc.contents)) this.removeIfEmpty(this.doc.contents, 'volumes');
    return true;
  }

  /** `depends_on: {dep: {condition}}` on the service; a list-form depends_on becomes the map form compose also reads. */
  setDependsOn(service: string, dep: string, condition: string, options: AddedByOption = {}): void {
    const node = this.serviceNode(service);
    let deps: unknown = node.get('depends_on', true);
    if (isSeq(deps)) {
      deps = this.doc.createNode(Object.fromEntries(deps.items.map((i) => [String(isScalar(i) ? i.value : i), { condition: 'service_started' }])));
      node.set('depends_on', deps);
    } else if (!isMap(deps)) {
      deps = this.doc.createNode({});
      node.set('depends_on', deps);
    }
    const map = deps as YAMLMap;
    if (this.indexOf(map, dep) >= 0) return;
    const pair = this.doc.createPair(dep, { condition }) as Pair<Scalar, Node>;
    markAddedBy(pair.key, options.addedBy);
    map.items.push(pair);
    this.edited = true;
  }

  /** Remove the dependency `migration` added; a `depends_on` left empty goes with it. */
  removeDependsOnAddedBy(service: string, dep: string, migration: string): boolean {
    const node = this.serviceNode(service);
    const deps = node.get('depends_on', true);
    if (!isMap(deps) || !hasAddedBy(deps.items[this.indexOf(deps, dep)]?.key, migration)) return false;
    this.removeKey(deps, dep);
    this.removeIfEmpty(node, 'depends_on');
    return true;
  }

  /** The short-syntax items (`"8001:8001"`, `./data:/app`) of a service's list, e.g. `ports` or `volumes`. */
  listItems(service: string, key: string): string[] {
    const list = this.serviceNode(service).get(key, true);
    return isSeq(list) ? list.items.flatMap((i) => (isScalar(i) && i.value !== null ? [String(i.value)] : [])) : [];
  }

  addListItem(service: string, key: string, value: string, options: AddedByOption = {}): void {
    const node = this.serviceNode(service);
    let list: unknown = node.get(key, true);
    if (!isSeq(list)) {
      list = this.doc.createNode([]);
      node.set(key, list);
    }
    const item = this.doc.createNode(value);
    markAddedBy(item, options.addedBy);
    (list as { items: unknown[] }).items.push(item);
    this.edited = true;
  }

  /**
   * Remove the short-syntax items of a service's list that `match`; a list left empty goes with them. The removed
   * items are written into a comment naming `removedBy` (the user sees what went, and restoreRemoved() reads it back).
   */
  removeListItems(service: string, key: string, match: (item: string) => boolean, options: { removedBy: string }): string[] {
    const node = this.serviceNode(service);
    const list = node.get(key, true);
    if (!isSeq(list)) return [];
    const removed: string[] = [];
    list.items = list.items.filter((i) => !(isScalar(i) && match(String(i.value)) && removed.push(String(i.value))));
    if (removed.length === 0) return [];
    let at = this.indexOf(node, key);
    if (list.items.length === 0) node.items.splice(at, 1);
    else at += 1;
    const holder = node.items[Math.min(at, node.items.length - 1)]!.key as Scalar;
    holder.commentBefore = [holder.commentBefore, ` ${removedNote(options.removedBy, key, removed)}`].filter(Boolean).join('\n');
    this.edited = true;
    return removed;
  }

  /** Put back what removeListItems() took out for `migration`, and drop its comment. Returns the items put back. */
  restoreRemoved(service: string, migration: string): string[] {
    const node = this.serviceNode(service);
    const restored: string[] = [];
    for (const pair of node.items) {
      const key = pair.key as Scalar;
      const lines = (key.commentBefore ?? '').split('\n');
      const kept = lines.filter((line) => {
        const note = parseRemovedNote(line, migration);
        if (!note) return true;
        note.items.forEach((item) => restored.push(`${note.key}\u0000${item}`));
        return false;
      });
      if (kept.length !== lines.length) key.commentBefore = kept.join('\n') || undefined;
    }
    for (const entry of restored) {
      const [key, item] = entry.split('\u0000') as [string, string];
      this.addListItem(service, key, item);
    }
    if (restored.length) this.edited = true;
    return restored.map((e) => e.split('\u0000')[1]!);
  }

  /** Remove the list items `migration` added to the service's `key` list. */
  removeListItemsAddedBy(service: string, key: string, migration: string): number {
    const node = this.serviceNode(service);
    const list = node.get(key, true);
    if (!isSeq(list)) return 0;
    const before = list.items.length;
    list.items = list.items.filter((i) => !hasAddedBy(i, migration));
    if (list.items.length === 0) node.items.splice(this.indexOf(node, key), 1);
    if (list.items.length !== before) this.edited = true;
    return before - list.items.length;
  }
}
