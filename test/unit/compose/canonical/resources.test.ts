import { describe, expect, it } from 'vitest';
import { canonical, thrownBy } from './helpers.js';

describe('canonical top-level networks, volumes, secrets and configs', () => {
  it('turns an empty declaration into an empty mapping', () => {
    const doc = canonical('services: {}\nnetworks:\n  front:\nvolumes:\n  data:\n');
    expect(doc.networks).toEqual({ front: {} });
    expect(doc.volumes).toEqual({ data: {} });
  });

  it('turns the legacy external: {name} into external: true with a name', () => {
    const doc = canonical(`services: {}
networks:
  outside: {external: {name: shared-net}}
  plain: {external: true}
secrets:
  token: {external: {}}
`);
    expect(doc.networks).toEqual({ outside: { external: true, name: 'shared-net' }, plain: { external: true } });
    expect(doc.secrets).toEqual({ token: { external: true } });
  });

  it('rejects name and external.name that disagree', () => {
    const err = thrownBy(() => canonical('services: {}\nvolumes:\n  data: {name: a, external: {name: b}}\n'));
    expect(err.code).toBe('COMPOSE_INVALID');
    expect(err.path).toBe('volumes.data');
    expect(err.hint).toContain('only name');
  });
});
