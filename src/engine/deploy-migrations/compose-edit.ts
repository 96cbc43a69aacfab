// Editing the user's compose file in place through `yaml`'s Document API, so comments, quoting and key order survive
// (yaml-layout.ts keeps the rest of the layout). Deployment migrations and the engine (image retags) edit through this
// class only; here the services, their environment, image and healthcheck, and named volumes' keys (lists and small
// maps: compose-lists.ts; the shared document: compose-document-base.ts). Anything a migration adds can carry an "added by" comment naming the migration: the file then says
// where the line came from, and the migration's down() removes only what it added itself.
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { userError } from '../errors.js';
import { hasAddedBy, hoistNotesOntoFirstItems, listEnvKey, markAddedBy } from './compose-notes.js';
import { ComposeLists, type AddedByOption } from './compose-lists.js';

export type { AddedByOption } from './compose-lists.js';

export interface ServiceHealthcheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
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

export class ComposeDocument extends ComposeLists {
  static parse(text: string, fileName = 'docker-compose.yml'): ComposeDocument {
    const doc = parseDocument(text, { merge: true });
    const error = doc.errors[0];
    if (error) throw userError('deploy-migrations.compose-invalid', `${fileName}: ${error.message}`, 'Fix the YAML syntax of the file.');
    hoistNotesOntoFirstItems(doc);
    const compose = new ComposeDocument(text, doc, fileName);
    compose.services();
    return compose;
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
}
