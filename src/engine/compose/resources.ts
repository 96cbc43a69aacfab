// Top-level networks and volumes with the names docker really knows them by: `name:` when set, else the key for an
// external resource, else `<project>_<key>` (`glowworm_mysql_data`, `glowworm_default`). And which of them a service
// joins.

import { userError } from '../errors.js';
import type { ComposeNetwork, ComposeVolume, ServiceNetwork } from './model.js';
import { isRecord } from './tree.js';

type Resource = ComposeNetwork | ComposeVolume;

export function topLevelResources(raw: unknown, projectName: string): Record<string, Resource> {
  const out: Record<string, Resource> = {};
  if (!isRecord(raw)) return out;
  for (const [key, value] of Object.entries(raw)) out[key] = resource(key, isRecord(value) ? value : {}, projectName);
  return out;
}

export function defaultNetwork(projectName: string): ComposeNetwork {
  return resource('default', {}, projectName);
}

function resource(key: string, config: Record<string, unknown>, projectName: string): Resource {
  const externalField = config['external'];
  // `external: {name: x}` is the legacy spelling of `external: true` + `name: x`.
  const legacyName = isRecord(externalField) && typeof externalField['name'] === 'string' ? externalField['name'] : null;
  const external = externalField === true || externalField === 'true' || isRecord(externalField);
  const explicitName = typeof config['name'] === 'string' && config['name'] !== '' ? config['name'] : legacyName;
  const name = explicitName ?? (external ? key : `${projectName}_${key}`);
  const driver = typeof config['driver'] === 'string' ? config['driver'] : null;
  return { key, name, external, driver, raw: config };
}

/** The networks a service joins, from its canonical `networks:` mapping; `default` when it names none. */
export function serviceNetworks(
  serviceName: string,
  raw: unknown,
  networkMode: string | null,
  networks: Record<string, ComposeNetwork>,
): ServiceNetwork[] {
  const declared = isRecord(raw) ? raw : {};
  if (networkMode !== null) {
    if (Object.keys(declared).length > 0) {
      throw userError(
        'compose.network-conflict',
        `Service "${serviceName}" sets both network_mode and networks, which are mutually exclusive.`,
      );
    }
    return [];
  }
  const entries = Object.keys(declared).length > 0 ? Object.entries(declared) : [['default', null] as const];
  return entries.map(([key, config]) => {
    const network = networks[key];
    if (!network) {
      throw userError(
        'compose.network-undefined',
        `Service "${serviceName}" refers to undefined network ${key}.`,
        'Declare it under the top-level "networks:" of the compose file.',
      );
    }
    const settings = isRecord(config) ? config : {};
    const aliases = Array.isArray(settings['aliases']) ? settings['aliases'].map(String) : [];
    return {
      key,
      name: network.name,
      aliases,
      ipv4Address: typeof settings['ipv4_address'] === 'string' ? settings['ipv4_address'] : null,
      ipv6Address: typeof settings['ipv6_address'] === 'string' ? settings['ipv6_address'] : null,
    };
  });
}
