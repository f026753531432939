import { describe, expect, it } from 'vitest';
import { DEFAULT_CGROUP_PARENT, cgroupParentSetting, cgroupPath } from '../../../src/cgroups/cgroup-path.js';
import { TscError } from '../../../src/errors/index.js';

describe('the cgroup parent setting (TSCOMPOSE_CGROUP_PARENT)', () => {
  it('is `tscompose` when unset or blank, and the name given otherwise', () => {
    expect([undefined, '', '  '].map(cgroupParentSetting)).toEqual([DEFAULT_CGROUP_PARENT, DEFAULT_CGROUP_PARENT, DEFAULT_CGROUP_PARENT]);
    expect(cgroupParentSetting('tscompose-e2e-Ab12')).toBe('tscompose-e2e-Ab12');
    expect(cgroupParentSetting(' ci.slice_1 ')).toBe('ci.slice_1');
    expect(cgroupPath(cgroupParentSetting('ci.slice_1'), 'abc')).toBe('ci.slice_1/abc');
  });

  it.each(['a/b', '../up', '.hidden', '-dash', 'with space', 'x'.repeat(201)])('refuses %j with USAGE and a hint', (value) => {
    let caught: unknown;
    try {
      cgroupParentSetting(value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TscError);
    expect((caught as TscError).code).toBe('USAGE');
    expect((caught as TscError).hint).toMatch(/directory name/);
  });
});
