// The project's optional `.glowworm/config` (YAML), for what a timer's command line should not have to carry:
//   notify: [https://hooks.example/glowworm, ntfy://ntfy.sh/my-topic]   where outcomes are sent (as --notify)
//   tags: '^1\.'                                                        which version tags count (as --tags)
//   prereleases: false                                                  (as --prereleases)
// A flag given on the command line wins over the file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { userError } from '../engine/errors.js';

export interface ProjectConfig {
  notify: string[];
  tags: string | null;
  prereleases: boolean | null;
}

export function configPath(projectDir: string): string {
  return join(projectDir, '.glowworm', 'config');
}

const EXAMPLE = 'e.g. "notify:\\n  - https://hooks.example/glowworm\\ntags: \'^1\\\\.\'"';

export async function readProjectConfig(projectDir: string): Promise<ProjectConfig> {
  const empty: ProjectConfig = { notify: [], tags: null, prereleases: null };
  let text: string;
  try {
    text = await readFile(configPath(projectDir), 'utf8');
  } catch {
    return empty; // the file is optional
  }
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (error) {
    throw userError('config.invalid', `${configPath(projectDir)} is not valid YAML: ${(error as Error).message}`, `Fix it, ${EXAMPLE}.`);
  }
  const bad = (what: string) => userError('config.invalid', `${what} in ${configPath(projectDir)}.`, `Fix it, ${EXAMPLE}.`);
  if (typeof doc !== 'object' || Array.isArray(doc)) throw bad('The file must be a mapping (notify:, tags:, prereleases:)');
  const { notify, tags, prereleases } = doc as Record<string, unknown>;
  const list = notify === undefined || notify === null ? [] : typeof notify === 'string' ? [notify] : notify;
  if (!Array.isArray(list) || list.some((u) => typeof u !== 'string')) throw bad('"notify" must be a list of URLs');
  if (tags !== undefined && tags !== null && typeof tags !== 'string') throw bad('"tags" must be a regular expression in a string');
  if (prereleases !== undefined && prereleases !== null && typeof prereleases !== 'boolean') throw bad('"prereleases" must be true or false');
  return { notify: list as string[], tags: (tags as string | undefined) ?? null, prereleases: (prereleases as boolean | undefined) ?? null };
}
