import { describe, expect, it } from 'vitest';
import { CAPABILITIES, type Capability } from '../../../src/kernel/launch-plan.js';
import { DEFAULT_CAPABILITIES, normalizeCapability, resolveCapabilities } from '../../../src/runtime/capabilities.js';
import { HOST } from './runtime-fixture.js';

const set = (caps: readonly Capability[]): string[] => [...caps].sort();

describe('resolveCapabilities', () => {
  it('gives Docker\'s 14 defaults in bounding, effective and permitted, and nothing inheritable or ambient', () => {
    const sets = resolveCapabilities(undefined, HOST.capabilities);
    expect(DEFAULT_CAPABILITIES).toHaveLength(14);
    expect(set(sets.bounding)).toEqual(set(DEFAULT_CAPABILITIES));
    expect(sets.effective).toEqual(sets.bounding);
    expect(sets.permitted).toEqual(sets.bounding);
    expect(sets.inheritable).toEqual([]);
    expect(sets.ambient).toEqual([]);
  });

  it('adds and drops by any spelling', () => {
    const sets = resolveCapabilities({ add: ['net_admin', 'CAP_SYS_PTRACE'], drop: ['MKNOD', 'cap_net_raw'] }, HOST.capabilities);
    expect(sets.bounding).toContain('CAP_NET_ADMIN');
    expect(sets.bounding).toContain('CAP_SYS_PTRACE');
    expect(sets.bounding).not.toContain('CAP_MKNOD');
    expect(sets.bounding).not.toContain('CAP_NET_RAW');
    expect(sets.bounding).toHaveLength(14);
  });

  it('takes every host capability but the dropped ones for add ALL', () => {
    const sets = resolveCapabilities({ add: ['ALL'], drop: ['SYS_ADMIN'] }, HOST.capabilities);
    expect(set(sets.bounding)).toEqual(set(HOST.capabilities.filter((c) => c !== 'CAP_SYS_ADMIN')));
  });

  it('keeps only the added ones for drop ALL', () => {
    const sets = resolveCapabilities({ add: ['chown', 'kill'], drop: ['all'] }, HOST.capabilities);
    expect(sets.bounding).toEqual(['CAP_CHOWN', 'CAP_KILL']);
    expect(resolveCapabilities({ drop: ['ALL'] }, HOST.capabilities).bounding).toEqual([]);
  });

  it('gives a privileged container exactly what the host holds, whatever add and drop say', () => {
    const sets = resolveCapabilities({ privileged: true, drop: ['ALL'] }, HOST.capabilities);
    expect(sets.bounding).toEqual(HOST.capabilities);
    expect(sets.bounding).not.toContain('CAP_SYS_RESOURCE');
    expect(sets.bounding).toHaveLength(CAPABILITIES.length - 1);
  });

  it('refuses a capability the host lacks, and an unknown one, with CONTAINER_START', () => {
    expect(() => resolveCapabilities({ add: ['SYS_RESOURCE'] }, HOST.capabilities)).toThrow(
      expect.objectContaining({ code: 'CONTAINER_START', message: 'capability CAP_SYS_RESOURCE is not available on this host' }),
    );
    expect(() => normalizeCapability('FLY')).toThrow(expect.objectContaining({ code: 'CONTAINER_START', message: 'unknown capability "FLY"' }));
  });

  it('leaves out a default the host lacks instead of failing', () => {
    const host = HOST.capabilities.filter((c) => c !== 'CAP_AUDIT_WRITE');
    expect(resolveCapabilities({}, host).bounding).not.toContain('CAP_AUDIT_WRITE');
    expect(resolveCapabilities({}, host).bounding).toHaveLength(13);
  });
});
