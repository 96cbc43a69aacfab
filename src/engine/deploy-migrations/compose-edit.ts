// Editing the user's compose file in place through `yaml`'s Document API, so comments, quoting and key order survive
// (yaml-layout.ts keeps the rest of the layout). Deployment migrations and the engine (image retags) edit through this
// class only. Anything a migration adds can carry an "added by" comment naming the migration: the file then says
// where the line came from, and the migration's down() removes only what it added itself.
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
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

  removeServiceEnv(service: string, key: string): boolean {
    const env = this.serviceNode(service).get('environment', true);
    if (isMap(env)) return this.removeKey(env, key);
    if (!isSeq(env)) return false;
    const index = env.items.findIndex((item) => listEnvKey(item) === key);
    if (index < 0) return false;
    env.items.splice(index, 1);
    this.edited = true;
    return true;
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

  private removeKey(map: YAMLMap, key: string): boolean {
    const index = this.indexOf(map, key);
    if (index < 0) return false;
    map.items.splice(index, 1);
    this.edited = true;
    return true;
  }
}
