import { TscError } from '../errors/index.js';
import { checkCgroupLimits, type CgroupLimits } from './cgroup-limits.js';
import type { CgroupManager, CgroupStats } from './cgroup-manager.js';

/**
 * No cgroups: where none are mounted, and for tests that need none. Containers run in the cgroup of
 * whoever started them; limits are checked, then not applied, and nothing is counted. It has no
 * parent, so the containers it creates record none.
 */
export class NullCgroupManager implements CgroupManager {
  readonly kind = 'none';

  async create(_name: string, limits: CgroupLimits): Promise<readonly string[]> {
    checkCgroupLimits(limits);
    return [];
  }

  async stats(): Promise<CgroupStats | undefined> {
    return undefined;
  }

  async freeze(): Promise<void> {
    throw unsupported();
  }

  async thaw(): Promise<void> {
    throw unsupported();
  }

  async remove(): Promise<void> {}
}

function unsupported(): TscError {
  return new TscError('KERNEL', 'pausing a container needs cgroups, and none are mounted', {
    hint: 'mount cgroup2 on /sys/fs/cgroup (or the v1 freezer hierarchy)',
  });
}
