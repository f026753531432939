import { describe, expect, it } from 'vitest';
import { DEFAULT_NOFILE, resolveRlimits, toRlimitType } from '../../../src/runtime/rlimits.js';
import type { HostFacts } from '../../../src/runtime/host-facts.js';
import { HOST } from './runtime-fixture.js';

describe('resolveRlimits', () => {
  it('gives nofile 1048576 lowered to the host\'s hard limit when the host cannot raise it', () => {
    expect(resolveRlimits(undefined, HOST)).toEqual([{ type: 'RLIMIT_NOFILE', soft: 20_000, hard: 20_000 }]);
  });

  it('gives nofile 1048576 when the host holds CAP_SYS_RESOURCE', () => {
    const host: HostFacts = { ...HOST, capabilities: [...HOST.capabilities, 'CAP_SYS_RESOURCE'] };
    expect(resolveRlimits([], host)).toEqual([{ type: 'RLIMIT_NOFILE', soft: DEFAULT_NOFILE, hard: DEFAULT_NOFILE }]);
    expect(resolveRlimits([{ type: 'RLIMIT_NOFILE', soft: 1, hard: 2_000_000 }], host)).toEqual([{ type: 'RLIMIT_NOFILE', soft: 1, hard: 2_000_000 }]);
  });

  it('keeps what is asked within the host\'s bounds, in order, without the default when nofile is given', () => {
    const asked = [
      { type: 'RLIMIT_NPROC', soft: 100, hard: 200 },
      { type: 'RLIMIT_NOFILE', soft: 512, hard: 1024 },
      { type: 'RLIMIT_CORE', soft: 0, hard: 'unlimited' },
    ] as const;
    expect(resolveRlimits(asked, HOST)).toEqual(asked);
  });

  it('refuses a hard limit above the host\'s, naming both', () => {
    expect(() => resolveRlimits([{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 65536 }], HOST)).toThrow(expect.objectContaining({
      code: 'CONTAINER_START',
      message: 'ulimit nofile: hard limit 65536 is above the host\'s hard limit 20000',
    }));
    expect(() => resolveRlimits([{ type: 'RLIMIT_NPROC', soft: 1, hard: 'unlimited' }], HOST)).toThrow(/above the host's hard limit 4096/);
  });

  it('refuses a soft limit above the hard one, and negative or fractional values', () => {
    expect(() => resolveRlimits([{ type: 'RLIMIT_NOFILE', soft: 10, hard: 5 }], HOST)).toThrow(/soft limit 10 is above the hard limit 5/);
    expect(() => resolveRlimits([{ type: 'RLIMIT_NOFILE', soft: 'unlimited', hard: 5 }], HOST)).toThrow(/soft limit unlimited/);
    expect(() => resolveRlimits([{ type: 'RLIMIT_CORE', soft: -1, hard: 5 }], HOST)).toThrow(/-1 is not a valid limit/);
    expect(() => resolveRlimits([{ type: 'RLIMIT_CORE', soft: 1.5, hard: 5 }], HOST)).toThrow(/1.5 is not a valid limit/);
  });

  it('names ulimits as compose does', () => {
    expect(toRlimitType('nofile')).toBe('RLIMIT_NOFILE');
    expect(toRlimitType('RLIMIT_MEMLOCK')).toBe('RLIMIT_MEMLOCK');
    expect(() => toRlimitType('files')).toThrow(expect.objectContaining({ code: 'CONTAINER_START', message: 'unknown ulimit "files"' }));
  });
});
