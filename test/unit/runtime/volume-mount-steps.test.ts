import { describe, expect, it } from 'vitest';
import { mountStep } from '../../../src/runtime/user-mounts.js';

describe('mount steps of volumes and tmpfs options', () => {
  it('binds a volume directory, or mounts a fresh tmpfs for the local driver\'s type: tmpfs', () => {
    expect(mountStep({ type: 'volume', name: 'p_v', source: '/vol/p_v/_data', target: '/v', readonly: true })).toEqual({
      op: 'mount', destination: '/v', type: 'bind', source: '/vol/p_v/_data', flags: ['rbind', 'rprivate', 'ro'],
    });
    expect(mountStep({ type: 'volume', name: 'p_t', source: '/vol/p_t/_data', target: '/t', tmpfs: { sizeBytes: 1048576, options: ['uid=1000'] } })).toEqual({
      op: 'mount', destination: '/t', type: 'tmpfs', source: 'tmpfs', flags: ['nosuid', 'nodev', 'noexec'], data: 'mode=1777,size=1048576,uid=1000',
    });
  });

  it('passes tmpfs options on after mode and size', () => {
    expect(mountStep({ type: 'tmpfs', target: '/run', mode: 0o755, options: ['nr_inodes=100', 'gid=5'] }).data).toBe('mode=0755,nr_inodes=100,gid=5');
  });
});
