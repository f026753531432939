import { TscError } from '../errors/index.js';

/** The directory, under each hierarchy, that holds one cgroup per container. */
export const DEFAULT_CGROUP_PARENT = 'tscompose';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** `<parent>/<name>`, the cgroup of one container relative to a hierarchy's root; both are single path segments. */
export function cgroupPath(parent: string, name: string): string {
  for (const [what, value] of [['parent', parent], ['name', name]] as const) {
    if (!SEGMENT.test(value)) {
      throw new TscError('INTERNAL', `cgroup ${what} "${value}" is not a plain directory name`, {
        hint: 'cgroups are named by container id under one parent directory; this is a bug in tscompose, please report it',
      });
    }
  }
  return `${parent}/${name}`;
}
