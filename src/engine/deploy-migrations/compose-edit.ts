// Editing the user's compose file in place through `yaml`'s Document API, so comments, quoting and key order survive
// (yaml-layout.ts keeps the rest of the layout). Deployment migrations and the engine (image retags) edit through this
// class only. Anything a migration adds can carry an "added by" comment naming the migration: the file then says
// where the line came from, and the migration's down() removes only what it added itself.
import { isMap, isNode, isScalar, isSeq, parseDocument, Scalar, visit, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { userError } from '../errors.js';
import { addedByNote, isAddedByNote } from './added-by.js';
import { keepUntouchedLines, layoutOptions } from './yaml-layout.js';

export interface AddedByOption {
  /** The migration's name; written as a comment above what is added. */
  addedBy?: string;
}

export interface ServiceHealthcheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

const REMOVED = 'removed by glowworm deployment migration ';

function removedNote(migration: string, key: string, items: string[]): string {
  return `${REMOVED}${migration}: ${key}: ${JSON.stringify(items)}`;
}

function parseRemovedNote(line: string, migration: string): { key: string; items: string[] } | null {
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

function isGlowwormNote(line: string): boolean {
  return isAddedByNote(line) || line.trim().startsWith(REMOVED);
}

/**
 * yaml hangs the comment above a collection's first item on the collection, not on the item: a note glowworm wrote
 * above the first key of a map it created (an `environment:`, a top-level `volumes:`) or above a service's first key
 * would not be found again once the file is read back. Put such comments back on the first item, where they print the
 * same and where the note-reading code (and a removal, which takes the note along) looks for them.
 */
function hoistNotesOntoFirstItems(doc: Document.Parsed): void {
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

function hasAddedBy(node: unknown, migration: string): boolean {
  // Our note is the comment line right above the key; a comment the user wrote above it may come first.
  return isScalar(node) && isAddedByNote((node.commentBefore ?? '').split('\n').at(-1) ?? '', migration);
}

function markAddedBy(node: Node, migration: string | undefined): void {
  if (migration) node.commentBefore = ` ${addedByNote(migration)}`;
}

/** `KEY=value` or `KEY` (a list-form environment item) → KEY. */
function listEnvKey(item: unknown): string | null {
  return isScalar(item) && typeof item.value === 'string' ? item.value.split('=')[0]!.trim() : null;
}

/** The repository part of an image reference: no tag, no digest (`127.0.0.1:5000/glowworm/backend`). */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const colon = withoutDigest.indexOf(':', withoutDigest.lastIndexOf('/') + 1);
  return colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
}

export function imageWithTag(image: string, tag: string): string {
  return `${imageRepository(image)}:${tag}`;
}

export class ComposeDocument {
  private edited = false;

  private constructor(
    private readonly source: string,
    private readonly doc: Document.Parsed,
    readonly fileName: string,
  ) {}

  static parse(text: string, fileName = 'docker-compose.yml'): ComposeDocument {
    const doc = parseDocument(text, { merge: true });
    const error = doc.errors[0];
    if (error) throw userError('deploy-migrations.compose-invalid', `${fileName}: ${error.message}`, 'Fix the YAML syntax of the file.');
    hoistNotesOntoFirstItems(doc);
    const compose = new ComposeDocument(text, doc, fileName);
    compose.services();
    return compose;
  }

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

  addService(name: string, definition: Record<string, unknown>, options: AddedByOption & { after?: string } = {}): void {
    const services = this.services();
    if (this.hasService(name)) throw userError('deploy-migrations.service-exists', `${this.fileName} already has a service "${name}".`);
    const pair = this.doc.createPair(name, definition) as Pair<Scalar, Node>;
    // Follow the file: services separated by a blank line get one too.
    pair.key.spaceBefore = services.items.slice(1).some((p) => isScalar(p.key) && p.key.spaceBefore);
    markAddedBy(pair.key, options.addedBy);
    const at = options.after === undefined ? services.items.length : this.indexOf(services, options.after) + 1;
    if (at === 0) throw userError('deploy-migrations.no-service', `${this.fileName} has no service "${options.after}".`);
    services.items.splice(at, 0, pair);
    this.edited = true;
  }

  removeService(name: string): boolean {
    return this.removeKey(this.services(), name);
  }

  /** The service's environment as KEY → value (null for a bare `KEY` that inherits from the shell). */
  serviceEnv(service: string): Record<string, string | null> {
    const env = this.service(service)['environment'];
    const out: Record<string, string | null> = {};
    if (Array.isArray(env)) {
      for (const item of env) {
        const text = String(item);
        const eq = text.indexOf('=');
        out[eq < 0 ? text : text.slice(0, eq)] = eq < 0 ? null : text.slice(eq + 1);
      }
    } else if (env && typeof env === 'object') {
      for (const [key, value] of Object.entries(env)) out[key] = value === null ? null : String(value);
    }
    return out;
  }

  hasServiceEnv(service: string, key: string): boolean {
    return key in this.serviceEnv(service);
  }

  /** Set KEY in the service's `environment`, in whichever form (map or `KEY=value` list) the file uses. */
  setServiceEnv(service: string, key: string, value: string, options: AddedByOption = {}): void {
    const node = this.serviceNode(service);
    let env: unknown = node.get('environment', true);
    if (env === undefined || env === null) {
      env = this.doc.createNode({});
      node.set('environment', env);
    }
    if (isSeq(env)) {
      const existing = env.items.find((item) => listEnvKey(item) === key);
      if (isScalar(existing)) existing.value = `${key}=${value}`;
      else {
        const item = this.doc.createNode(`${key}=${value}`);
        markAddedBy(item, options.addedBy);
        env.items.push(item);
      }
    } else if (isMap(env)) {
      const existing = env.items[this.indexOf(env, key)];
      if (existing && isScalar(existing.value)) existing.value.value = value;
      else if (existing) existing.value = this.doc.createNode(value);
      else {
        const pair = this.doc.createPair(key, value) as Pair<Scalar, Node>;
        markAddedBy(pair.key, options.addedBy);
        env.items.push(pair);
      }
    } else {
      throw userError('deploy-migrations.compose-invalid', `${this.fileName}: the environment of "${service}" is neither a mapping nor a list.`);
    }
    this.edited = true;
  }

  /** Remove KEY from the service's `environment`; an environment left empty goes with it. */
  removeServiceEnv(service: string, key: string): boolean {
    const node = this.serviceNode(service);
    const env = node.get('environment', true);
    let removed = false;
    if (isMap(env)) removed = this.removeKey(env, key);
    else if (isSeq(env)) {
      const index = env.items.findIndex((item) => listEnvKey(item) === key);
      if (index >= 0) {
        env.items.splice(index, 1);
        this.edited = removed = true;
      }
    }
    if (removed) this.removeIfEmpty(node, 'environment');
    return removed;
  }

  /** Whether `migration` added the service (or, with `envKey`, that variable of the service's environment). */
  isAddedBy(migration: string, service: string, envKey?: string): boolean {
    if (envKey === undefined) {
      const services = this.services();
      return hasAddedBy(services.items[this.indexOf(services, service)]?.key, migration);
    }
    const env = this.serviceNode(service).get('environment', true);
    if (isMap(env)) return hasAddedBy(env.items[this.indexOf(env, envKey)]?.key, migration);
    if (isSeq(env)) return hasAddedBy(env.items.find((item) => listEnvKey(item) === envKey), migration);
    return false;
  }

  /** Point the service's image at another tag of the same repository (a digest, if any, is dropped). */
  setImageTag(service: string, tag: string): void {
    const image = this.serviceNode(service).get('image', true);
    if (!isScalar(image) || typeof image.value !== 'string') {
      throw userError('deploy-migrations.no-image', `The service "${service}" in ${this.fileName} has no image: to retag.`);
    }
    // Assigning to the existing scalar keeps its quoting style.
    image.value = imageWithTag(image.value, tag);
    this.edited = true;
  }

  /** Set the service's healthcheck (replacing one it has); a `test` list is written in flow style as compose files do. */
  addHealthcheck(service: string, healthcheck: ServiceHealthcheck): void {
    const node = this.doc.createNode(healthcheck) as YAMLMap;
    const test = node.get('test', true);
    if (isSeq(test)) {
      test.flow = true;
      for (const item of test.items) if (isScalar(item)) item.type = Scalar.QUOTE_DOUBLE;
    }
    this.serviceNode(service).set('healthcheck', node);
    this.edited = true;
  }

  /**
   * Rename a top-level named volume and every service mount of it. Careful: the Docker volume behind a compose
   * volume is named after its key, so a rename alone would start on an EMPTY volume. `pinDockerName` writes
   * `name: <the existing Docker volume>` (e.g. `glowworm_mysql_data`) so the data stays.
   */
  renameVolume(from: string, to: string, options: { pinDockerName?: string } = {}): void {
    const volumes = this.doc.get('volumes', true);
    const index = isMap(volumes) ? this.indexOf(volumes, from) : -1;
    if (!isMap(volumes) || index < 0) throw userError('deploy-migrations.no-volume', `${this.fileName} has no top-level volume "${from}".`);
    const pair = volumes.items[index]!;
    pair.key = isScalar(pair.key) ? Object.assign(pair.key, { value: to }) : this.doc.createNode(to);
    if (options.pinDockerName) {
      if (!isMap(pair.value)) pair.value = this.doc.createNode({});
      (pair.value as YAMLMap).set('name', options.pinDockerName);
    }
    for (const name of this.serviceNames()) {
      const mounts = this.serviceNode(name).get('volumes', true);
      if (!isSeq(mounts)) continue;
      for (const mount of mounts.items) {
        if (isScalar(mount) && typeof mount.value === 'string' && mount.value.startsWith(`${from}:`)) {
          mount.value = to + mount.value.slice(from.length);
        } else if (isMap(mount) && mount.get('source') === from) {
          mount.set('source', to);
        }
      }
    }
    this.edited = true;
  }

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

  private services(): YAMLMap {
    const services = this.doc.get('services', true);
    if (!isMap(services)) throw userError('deploy-migrations.compose-invalid', `${this.fileName} has no "services:" mapping.`);
    return services;
  }

  private serviceNode(name: string): YAMLMap {
    const node = this.services().items[this.indexOf(this.services(), name)]?.value;
    if (!isMap(node)) throw userError('deploy-migrations.no-service', `${this.fileName} has no service "${name}".`);
    return node;
  }

  private indexOf(map: YAMLMap, key: string): number {
    return map.items.findIndex((pair) => keyText(pair.key) === key);
  }

  /** Drop `key` from `map` when it holds an empty mapping or list (one a removal just emptied). */
  private removeIfEmpty(map: YAMLMap, key: string): void {
    const child = map.get(key, true);
    if ((isMap(child) || isSeq(child)) && child.items.length === 0) this.removeKey(map, key);
  }

  private removeKey(map: YAMLMap, key: string): boolean {
    const index = this.indexOf(map, key);
    if (index < 0) return false;
    map.items.splice(index, 1);
    this.edited = true;
    return true;
  }
}
