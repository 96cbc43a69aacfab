import { describe, expect, it } from 'vitest';
import { planEngineStart } from './docker-engine.js';

// The branch that installs and starts dockerd cannot be exercised on a machine whose engine others use, so its
// decision is a pure function of the facts, tested here.
describe('planEngineStart', () => {
  const rootDebian = { isRoot: true, isDebian: true };

  it('does nothing when an engine answers, whatever else is true', () => {
    expect(planEngineStart(true, { isRoot: false, isDebian: false }, ['docker.io'])).toEqual({ kind: 'running' });
  });

  it('installs docker.io and starts dockerd as root on Debian', () => {
    expect(planEngineStart(false, rootDebian, ['docker.io'])).toEqual({ kind: 'start', installPackages: ['docker.io'] });
    expect(planEngineStart(false, rootDebian, [])).toEqual({ kind: 'start', installPackages: [] });
  });

  it('says what is missing and how to provide it when not root', () => {
    const plan = planEngineStart(false, { isRoot: false, isDebian: true }, ['docker.io']);
    expect(plan.kind).toBe('impossible');
    expect(plan.kind === 'impossible' && plan.message).toContain('sudo apt-get install -y docker.io');
  });

  it('asks for dockerd to be started by hand when it is installed but we are not root', () => {
    const plan = planEngineStart(false, { isRoot: false, isDebian: true }, []);
    expect(plan.kind === 'impossible' && plan.message).toContain('start it yourself');
  });

  it('names the missing pieces on a machine that is not Debian', () => {
    const plan = planEngineStart(false, { isRoot: true, isDebian: false }, ['docker.io']);
    expect(plan.kind === 'impossible' && plan.message).toContain('not a Debian machine');
  });
});
