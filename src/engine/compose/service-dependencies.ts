// What a service waits for: `depends_on` (list or mapping; default condition `service_started`, required, no
// restart) plus the dependencies compose adds on its own for `links`, `volumes_from` and `network_mode: service:x`.

import { userError } from '../errors.js';
import type { DependencyCondition, ServiceDependency } from './model.js';
import { isRecord } from './tree.js';

const CONDITIONS: readonly DependencyCondition[] = [
  'service_started',
  'service_healthy',
  'service_completed_successfully',
];

/** `raw` is the service's canonical tree; unknown optional dependencies are dropped with a warning, as compose does. */
export function serviceDependencies(
  serviceName: string,
  raw: Record<string, unknown>,
  knownServices: ReadonlySet<string>,
  warnings: string[],
): ServiceDependency[] {
  const deps = new Map<string, ServiceDependency>();
  const declared = isRecord(raw['depends_on']) ? raw['depends_on'] : {};
  for (const [service, config] of Object.entries(declared)) {
    const settings = isRecord(config) ? config : {};
    const condition = settings['condition'] ?? 'service_started';
    if (!CONDITIONS.includes(condition as DependencyCondition)) {
      throw userError(
        'compose.depends-on-invalid',
        `Service "${serviceName}" depends on "${service}" with unknown condition ${JSON.stringify(condition)} ` +
          `(expected ${CONDITIONS.join(', ')}).`,
      );
    }
    deps.set(service, {
      service,
      condition: condition as DependencyCondition,
      required: settings['required'] !== false && settings['required'] !== 'false',
      restart: settings['restart'] === true || settings['restart'] === 'true',
      implicit: false,
    });
  }
  for (const service of implicitDependencies(raw)) {
    if (!deps.has(service)) {
      deps.set(service, { service, condition: 'service_started', required: true, restart: false, implicit: true });
    }
  }

  const out: ServiceDependency[] = [];
  for (const dep of deps.values()) {
    if (knownServices.has(dep.service)) out.push(dep);
    else if (dep.required) {
      throw userError(
        'compose.depends-on-undefined',
        `Service "${serviceName}" depends on undefined service "${dep.service}".`,
        'Fix the service name, or mark the dependency `required: false`.',
      );
    } else warnings.push(`Service "${serviceName}" depends on "${dep.service}", which is not defined; ignored.`);
  }
  return out;
}

function implicitDependencies(raw: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const link of Array.isArray(raw['links']) ? raw['links'] : []) names.push(String(link).split(':')[0] as string);
  for (const source of Array.isArray(raw['volumes_from']) ? raw['volumes_from'] : []) {
    const text = String(source);
    if (!text.startsWith('container:')) names.push(text.split(':')[0] as string);
  }
  const mode = raw['network_mode'];
  if (typeof mode === 'string' && mode.startsWith('service:')) names.push(mode.slice('service:'.length));
  return names;
}
