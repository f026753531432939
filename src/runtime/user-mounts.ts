import type { MountFlag, MountStep } from '../kernel/launch-plan.js';
import type { MountSpec } from './container-spec.js';
import { specError } from './spec-error.js';

function checkPaths(mount: MountSpec): void {
  if (!mount.target.startsWith('/')) {
    throw specError(`mount target "${mount.target}" is not an absolute path`, 'mount targets are paths inside the container, starting with /');
  }
  if (mount.type !== 'tmpfs' && !mount.source.startsWith('/')) {
    throw specError(`mount source "${mount.source}" is not an absolute path`, 'resolve bind sources against the project directory first');
  }
}

/** One mount of the spec as a step of the plan: binds (and volumes) `rbind` + `rprivate`, tmpfs `nosuid,nodev,noexec`. */
export function mountStep(mount: MountSpec): MountStep {
  checkPaths(mount);
  const ro: MountFlag[] = mount.readonly === true ? ['ro'] : [];
  switch (mount.type) {
    case 'bind':
      return {
        op: 'mount', destination: mount.target, type: 'bind', source: mount.source,
        flags: [mount.recursive === false ? 'bind' : 'rbind', mount.propagation ?? 'rprivate', ...ro],
      };
    case 'volume':
      if (mount.tmpfs !== undefined) return mountStep({ type: 'tmpfs', target: mount.target, readonly: mount.readonly === true, ...mount.tmpfs });
      return { op: 'mount', destination: mount.target, type: 'bind', source: mount.source, flags: ['rbind', 'rprivate', ...ro] };
    case 'tmpfs': {
      const mode = mount.mode ?? 0o1777;
      if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
        throw specError(`tmpfs ${mount.target}: mode ${mode} is not a valid mode`, 'a mode is a number from 0 to 0o7777');
      }
      const size = mount.sizeBytes;
      if (size !== undefined && (!Number.isSafeInteger(size) || size <= 0)) {
        throw specError(`tmpfs ${mount.target}: size ${size} is not a valid size`, 'a size is a whole number of bytes above 0');
      }
      const data = [`mode=${mode.toString(8).padStart(4, '0')}`, ...(size === undefined ? [] : [`size=${size}`]), ...(mount.options ?? [])].join(',');
      return { op: 'mount', destination: mount.target, type: 'tmpfs', source: 'tmpfs', flags: ['nosuid', 'nodev', 'noexec', ...ro], data };
    }
  }
}
