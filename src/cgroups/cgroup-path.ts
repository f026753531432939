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

/** Whether `value` can name the parent of containers' cgroups: one plain directory name. */
export function isCgroupParent(value: unknown): value is string {
  return typeof value === 'string' && SEGMENT.test(value) && value.length <= 200;
}

/**
 * The parent directory of the containers' cgroups from `TSCOMPOSE_CGROUP_PARENT`: unset or empty
 * gives {@link DEFAULT_CGROUP_PARENT}; anything else must be one plain directory name (USAGE).
 */
export function cgroupParentSetting(value: string | undefined): string {
  const text = value?.trim() ?? '';
  if (text === '') return DEFAULT_CGROUP_PARENT;
  if (!isCgroupParent(text)) {
    throw new TscError('USAGE', `TSCOMPOSE_CGROUP_PARENT=${value ?? ''} is not a cgroup directory name`, {
      hint: 'use one directory name of letters, digits, `_`, `.` and `-` (no `/`), e.g. `tscompose-ci`, or leave it unset for `tscompose`',
    });
  }
  return text;
}
