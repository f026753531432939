import { describe, expect, it } from 'vitest';
import { mergeDicts } from '../../../../src/compose/merge/index.js';
import { merged, mergedService, web } from './helpers.js';

describe('merging mappings and scalars', () => {
  it('adds missing keys and replaces scalars (the spec example)', () => {
    expect(merged('services:\n  foo:\n    key1: value1\n    key2: value2\n', 'services:\n  foo:\n    key2: VALUE\n    key3: value3\n')).toEqual({
      services: { foo: { key1: 'value1', key2: 'VALUE', key3: 'value3' } },
    });
  });

  it('merges nested mappings recursively', () => {
    const service = mergedService(web('image: a\ndeploy:\n  resources:\n    limits: {cpus: 1}\n  restart_policy: {condition: on-failure}'), web('deploy:\n  resources:\n    limits: {memory: 1g}'));
    expect(service.deploy).toEqual({
      resources: { limits: { cpus: 1, memory: String(1024 ** 3) } },
      restart_policy: { condition: 'on-failure' },
    });
  });

  it('keeps the base value where the override has null', () => {
    expect(mergedService(web('image: a\nuser: root'), web('user: null')).user).toBe('root');
  });

  it('merges top-level resources and extension fields by key', () => {
    const doc = merged('services: {}\nnetworks:\n  front: {driver: bridge}\nx-meta: {a: 1}\n', 'services: {}\nnetworks:\n  front: {internal: true}\n  back:\nx-meta: {b: 2}\n');
    expect(doc.networks).toEqual({ front: { driver: 'bridge', internal: true }, back: {} });
    expect(doc['x-meta']).toEqual({ a: 1, b: 2 });
  });

  it('returns the override alone when merged over nothing, without modifying its inputs', () => {
    const override = { services: { web: { image: 'a', dns: ['1.1.1.1'] } } };
    const base = {};
    expect(mergeDicts(base, override)).toEqual(override);
    expect(base).toEqual({});
    expect(override).toEqual({ services: { web: { image: 'a', dns: ['1.1.1.1'] } } });
  });
});
