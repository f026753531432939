import { describe, expect, it } from 'vitest';
import { plan, orphans, describeAction, type DesiredService, type ObservedContainer } from '../../../src/orchestrator/plan.js';

const svc = (name: string, replicas = 1, configHash = `h-${name}`): DesiredService => ({ name, replicas, configHash });
const ctr = (service: string, number: number, over: Partial<ObservedContainer> = {}): ObservedContainer => ({
  id: `${service}${number}`, name: `p-${service}-${number}`, service, number, configHash: `h-${service}`, status: 'running', ...over,
});

describe('plan(desired, observed)', () => {
  it('creates every container of a new project', () => {
    const actions = plan([svc('web', 2), svc('db')], []);
    expect(actions.map((a) => [a.kind, a.service, 'number' in a ? a.number : 0])).toEqual([
      ['create', 'web', 1], ['create', 'web', 2], ['create', 'db', 1],
    ]);
  });

  it('is empty when nothing changed', () => {
    expect(plan([svc('web', 2)], [ctr('web', 1), ctr('web', 2)])).toEqual([]);
  });

  it('recreates only the service whose configuration changed', () => {
    const actions = plan([svc('web', 1, 'new'), svc('db')], [ctr('web', 1), ctr('db', 1)]);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ kind: 'recreate', service: 'web', number: 1, reason: 'configuration changed' });
  });

  it('recreates on a new image digest, on --force-recreate, and for restart: true dependents', () => {
    const withImage = { ...svc('web'), imageDigest: 'sha256:b' };
    expect(plan([withImage], [ctr('web', 1, { imageDigest: 'sha256:a' })])[0]?.reason).toBe('image changed');
    expect(plan([svc('web')], [ctr('web', 1)], { forceRecreate: true })[0]?.kind).toBe('recreate');
    expect(plan([svc('web')], [ctr('web', 1)], { recreateDependents: new Set(['web']) })[0]?.kind).toBe('recreate');
    expect(plan([svc('web', 1, 'new')], [ctr('web', 1)], { noRecreate: true })).toEqual([]);
  });

  it('starts stopped containers unless asked not to', () => {
    expect(plan([svc('web')], [ctr('web', 1, { status: 'exited' })])[0]).toMatchObject({ kind: 'start', reason: 'container is exited' });
    expect(plan([svc('web')], [ctr('web', 1, { status: 'created' })], { noStart: true })).toEqual([]);
  });

  it('scales down from the highest number and up into the gaps', () => {
    const down = plan([svc('web', 1)], [ctr('web', 1), ctr('web', 2), ctr('web', 3)]);
    expect(down.map((a) => a.kind === 'remove' && a.container.number)).toEqual([3, 2]);
    const up = plan([svc('web', 3)], [ctr('web', 2)]);
    expect(up.map((a) => a.kind === 'create' && a.number)).toEqual([1, 3]);
  });

  it('removes orphans only with --remove-orphans', () => {
    const observed = [ctr('web', 1), ctr('old', 1)];
    expect(plan([svc('web')], observed)).toEqual([]);
    expect(plan([svc('web')], observed, { removeOrphans: true })).toMatchObject([{ kind: 'remove', service: 'old' }]);
    expect(orphans([svc('web')], observed).map((c) => c.name)).toEqual(['p-old-1']);
  });

  it('describes each action with its reason', () => {
    const [create] = plan([svc('web')], []);
    expect(describeAction(create!, (s, n) => `p-${s}-${n}`)).toBe('create p-web-1 (no container yet)');
  });
});
