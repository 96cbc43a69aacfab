// The `com.docker.compose.*` labels a container needs for docker compose to count it as its own and leave it alone:
// v1 (docker-compose 1.29, service.py `build_container_labels`) and v2 (docker/compose pkg/compose/create.go
// `prepareLabels` and convergence.go) both find a service's containers by project/service/oneoff, and both recreate a
// container whose `config-hash` differs from the service's. v1 also reads `com.docker.compose.version` from every
// container of the project and crashes without it (`'ComposeVersion' object has no attribute 'version'`).
//
// Which compose made the project is read from its containers' version label; glowworm writes labels in that
// compose's dialect. The v1 hash is computed exactly (compose/config-hash-v1.ts, pinned against docker-compose
// 1.29.2). The v2 hash (compose/config-hash-v2.ts) is pinned against docker/compose's own golden value but not against
// a v2 binary; where it cannot model a service it is left out, and docker compose v2 recreates that one container at
// its next `up` instead of glowworm claiming a hash it cannot vouch for.
import { v1ConfigHash, type V1HashInput } from '../compose/config-hash-v1.js';
import { v2ConfigHash, type V2HashInput } from '../compose/config-hash-v2.js';
import type { ComposeProject, ComposeService } from '../compose/model.js';

export interface ComposeDialect {
  kind: 'v1' | 'v2';
  /** The version label value to write: the one the project's containers carry. */
  version: string;
}

/** The compose that made the project, from its containers' labels; v1 when none says (the hash glowworm can compute). */
export function composeDialectOf(containerLabels: ReadonlyArray<Record<string, string>>): ComposeDialect {
  for (const labels of containerLabels) {
    const version = labels['com.docker.compose.version'];
    if (version) return { kind: /^1\./.test(version) ? 'v1' : 'v2', version };
  }
  return { kind: 'v1', version: '1.29.2' };
}

export interface ComposeLabelInput {
  dialect: ComposeDialect;
  /** The project as its labels must name it (the user's own compose files, not an edited copy). */
  project: Pick<ComposeProject, 'name' | 'workingDir' | 'composeFiles' | 'envFile'>;
  service: ComposeService;
  /** The engine's id of the image the container runs. */
  imageId: string;
  /** What the v1 hash needs; null for a v2 project. */
  v1: Omit<V1HashInput, 'imageId'> | null;
  /** What the v2 hash needs; null for a v1 project. */
  v2: V2HashInput | null;
}

export function composeLabels(input: ComposeLabelInput): Record<string, string> {
  const { dialect, project, service } = input;
  const labels: Record<string, string> = {
    'com.docker.compose.project': project.name,
    'com.docker.compose.service': service.name,
    'com.docker.compose.oneoff': 'False',
    'com.docker.compose.container-number': '1',
    'com.docker.compose.version': dialect.version,
    'com.docker.compose.project.working_dir': project.workingDir,
    'com.docker.compose.project.config_files': project.composeFiles.join(','),
  };
  if (dialect.kind === 'v1' && input.v1) {
    const hash = v1ConfigHash({ ...input.v1, imageId: input.imageId });
    if (hash) labels['com.docker.compose.config-hash'] = hash;
  }
  if (dialect.kind === 'v2') {
    const hash = input.v2 ? v2ConfigHash(input.v2) : null;
    if (hash) labels['com.docker.compose.config-hash'] = hash;
    // v2 compares this with the image it resolved for the service (convergence.go `mustRecreate`).
    labels['com.docker.compose.image'] = input.imageId;
    labels['com.docker.compose.depends_on'] = service.dependsOn
      .filter((d) => !d.implicit)
      .map((d) => `${d.service}:${d.condition}:${d.restart}`)
      .sort()
      .join(',');
    if (project.envFile) labels['com.docker.compose.project.environment_file'] = project.envFile;
  }
  return labels;
}
