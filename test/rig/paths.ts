// Where the rig keeps its state on the machine. Everything lives outside the checkout so that several checkouts
// (and CI's fresh clone) share one registry, one base-image cache and one set of fixture images.
// GLOWWORM_RIG_CACHE_DIR and GLOWWORM_RIG_BASE_REPO exist to measure a cold build without deleting the shared cache.

export const DOCKER_BIN = '/usr/bin/docker';
export const DOCKER_SOCKET = '/var/run/docker.sock';

export const RIG_STATE_DIR = '/var/lib/glowworm-rig';
export const RIG_LOG_DIR = '/var/log/glowworm-rig';
export const RIG_CACHE_DIR = process.env.GLOWWORM_RIG_CACHE_DIR ?? '/var/cache/glowworm-rig';

export const REGISTRY_ADDRESS = '127.0.0.1:5000';
export const REGISTRY_CONFIG_FILE = `${RIG_STATE_DIR}/registry.yml`;
export const REGISTRY_STORAGE_DIR = `${RIG_STATE_DIR}/registry`;

export const BASE_IMAGE_REPO = process.env.GLOWWORM_RIG_BASE_REPO ?? 'glowworm-rig/base';

/** Image label holding the hash of everything an image was built from; equal hash = nothing to rebuild. */
export const RECIPE_LABEL = 'io.glowworm.rig.recipe';
export const VERSION_LABEL = 'org.opencontainers.image.version';

export const FIXTURES_DIR = new URL('./fixtures/', import.meta.url).pathname;
