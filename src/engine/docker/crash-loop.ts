// A container the restart policy keeps restarting (a start that fails every time: a migration that cannot apply).
// Between two crashes it is briefly "running" (health "starting"), so a snapshot alone must not call that fine: after
// two restarts by the policy, only a container that is healthy, or that has run for a minute without a healthcheck,
// has got past its start. The upgrade plan, `status` and `recover` all call the rest crash-looping.
import type { ContainerDetails } from './port.js';

const PAST_ITS_START_MS = 60_000;

export function crashLooping(c: Pick<ContainerDetails, 'restarting' | 'restartCount' | 'running' | 'health' | 'startedAt'>, now = Date.now()): boolean {
  if (c.restarting) return true;
  if (c.restartCount < 2) return false;
  if (!c.running) return true;
  if (c.health !== null) return c.health !== 'healthy';
  return now - Date.parse(c.startedAt) < PAST_ITS_START_MS;
}
