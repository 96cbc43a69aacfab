// A pull of a tag the registry does not have: say so plainly and name the nearest tags it does have (asked of its
// API), instead of Docker's raw 404. `--to v1.1.0` where the registry has `1.1.0` gets "did you mean 1.1.0".
import { GlowwormError, userError } from '../errors.js';
import { registryEndpoint } from './endpoint.js';
import { RegistryClient, type RegistryReader } from './registry-client.js';
import { cleanVersion } from '../changelog/version-order.js';
import { nearestTags } from './release-tags.js';

/** The error to give for a failed pull of `ref` when the registry confirms the tag is not there; else null. */
export async function unknownTagError(ref: string, registry: RegistryReader = new RegistryClient()): Promise<GlowwormError | null> {
  const ep = registryEndpoint(ref);
  if (!ep.tag) return null;
  let tags: string[];
  try {
    if ((await registry.digest(ref)) !== null) return null; // the tag is there: the pull failed for another reason
    tags = await registry.tags(ref);
  } catch {
    return null; // the registry's API could not say: Docker's own error stands
  }
  const nearest = nearestTags(tags, ep.tag);
  const same = nearest.find((t) => cleanVersion(t) !== null && cleanVersion(t) === cleanVersion(ep.tag!) && t !== ep.tag);
  const hint = !tags.length
    ? 'The repository has no tags at all.'
    : `${same ? `Did you mean ${same}? ` : ''}Nearest tags it has: ${nearest.join(', ')}; \`glowworm check\` lists the newer ones.`;
  return userError('plan.tag-unknown', `The registry has no tag "${ep.tag}" for ${ref.slice(0, ref.lastIndexOf(':'))}.`, hint);
}
