import { specError } from './spec-error.js';

/** The PATH a container gets when neither its image nor its spec sets one. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const keyOf = (entry: string): string => entry.slice(0, entry.indexOf('='));

/**
 * The environment of a container's process, as Docker builds it: PATH and HOSTNAME first, then the
 * spec's entries (each replacing an earlier one of the same name in place), then HOME from /etc/passwd
 * when nothing set it.
 */
export function buildEnvironment(env: readonly string[] | undefined, hostname: string | undefined, home: string): string[] {
  const out = [`PATH=${DEFAULT_PATH}`, ...(hostname === undefined ? [] : [`HOSTNAME=${hostname}`])];
  for (const entry of env ?? []) {
    if (entry.indexOf('=') < 1) {
      throw specError(`environment entry "${entry}" is not KEY=VALUE`, 'resolve variables without a value before handing the spec to the runtime');
    }
    const key = keyOf(entry);
    const at = out.findIndex((e) => keyOf(e) === key);
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  if (!out.some((e) => keyOf(e) === 'HOME')) out.push(`HOME=${home}`);
  return out;
}
