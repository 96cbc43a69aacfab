// The compose module's public surface: load the user's project, order its services, match its containers.

export { loadProject, type LoadProjectOptions } from './load-project.js';
export { dependencyOrder, reverseDependencyOrder, stopWaves } from './dependency-order.js';
export {
  defaultContainerNames,
  matchContainers,
  type ContainerMatches,
  type ContainerSummary,
  type MatchedContainer,
  type OrphanContainer,
} from './match-containers.js';
export { serviceRoles, type ServiceRole, type ServiceRoles } from './service-roles.js';
export { formatImageRef, parseImageRef, repositoryKey, withTag, type ImageRef } from './image-ref.js';
export { normalizeProjectName } from './project-name.js';
export { parseEnvFile } from './env-file.js';
export { interpolateString } from './interpolate.js';
export { parseDuration } from './healthcheck.js';
export type * from './model.js';
