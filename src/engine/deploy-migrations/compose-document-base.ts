// The compose file as a yaml Document: the services mapping, lookups by key, and the bookkeeping every edit shares
// (an untouched file prints byte for byte as it was read). compose-lists.ts and compose-edit.ts add the edits.
import { isMap, isSeq, type Document, type YAMLMap } from 'yaml';
import { userError } from '../errors.js';
import { keyText } from './compose-notes.js';
import { keepUntouchedLines, layoutOptions } from './yaml-layout.js';

export class ComposeDocumentBase {
  protected edited = false;

  protected constructor(
    private readonly source: string,
    protected readonly doc: Document.Parsed,
    readonly fileName: string,
  ) {}

  /** The file's text: byte for byte the original until something is edited. */
  toString(): string {
    if (!this.edited) return this.source;
    return keepUntouchedLines(this.source, this.doc.toString(layoutOptions(this.source)));
  }

  serviceNames(): string[] {
    return this.services().items.map((pair) => keyText(pair.key));
  }

  hasService(name: string): boolean {
    return this.indexOf(this.services(), name) >= 0;
  }

  /** A service as plain data (anchors and `<<` merges resolved). */
  service(name: string): Record<string, unknown> {
    return this.serviceNode(name).toJS(this.doc) as Record<string, unknown>;
  }

  protected services(): YAMLMap {
    const services = this.doc.get('services', true);
    if (!isMap(services)) throw userError('deploy-migrations.compose-invalid', `${this.fileName} has no "services:" mapping.`);
    return services;
  }

  protected serviceNode(name: string): YAMLMap {
    const node = this.services().items[this.indexOf(this.services(), name)]?.value;
    if (!isMap(node)) throw userError('deploy-migrations.no-service', `${this.fileName} has no service "${name}".`);
    return node;
  }

  protected indexOf(map: YAMLMap, key: string): number {
    return map.items.findIndex((pair) => keyText(pair.key) === key);
  }

  /** Drop `key` from `map` when it holds an empty mapping or list (one a removal just emptied). */
  protected removeIfEmpty(map: YAMLMap, key: string): void {
    const child = map.get(key, true);
    if ((isMap(child) || isSeq(child)) && child.items.length === 0) this.removeKey(map, key);
  }

  protected removeKey(map: YAMLMap, key: string): boolean {
    const index = this.indexOf(map, key);
    if (index < 0) return false;
    map.items.splice(index, 1);
    this.edited = true;
    return true;
  }
}
