import { TscError } from '../errors/index.js';
import type { NetworkSpec } from './container-spec.js';

/** The IPC sysctls a container's own IPC namespace holds (Docker's list); `fs.mqueue.*` belongs there too. */
const IPC_SYSCTLS = new Set([
  'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem',
  'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced',
]);

const KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

function refuse(container: string, key: string, why: string, hint: string): TscError {
  return new TscError('SYSCTL_NOT_ALLOWED', `container \`${container}\`: sysctl \`${key}\` ${why}`, { hint });
}

/**
 * The sysctls a container may set, with keys in dotted form (`net/ipv4/ip_forward` is accepted as
 * `net.ipv4.ip_forward`). Only namespaced ones, as Docker: the IPC ones and `fs.mqueue.*` (the container
 * always has its own IPC namespace), and `net.*` when it has a network namespace of its own. Anything
 * else would change the host and is refused with SYSCTL_NOT_ALLOWED.
 */
export function checkSysctls(container: string, sysctls: Readonly<Record<string, string>>, network: NetworkSpec | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [raw, value] of Object.entries(sysctls)) {
    const key = raw.trim().replaceAll('/', '.');
    if (!KEY.test(key)) {
      throw refuse(container, raw, 'is not a sysctl name', 'write it as dotted words, e.g. net.ipv4.ip_forward');
    }
    if (value.includes('\0') || value.includes('\n')) {
      throw refuse(container, key, 'has a value with a line break or NUL', 'give the value on one line');
    }
    if (key.startsWith('net.')) {
      if (network === 'host') {
        throw refuse(container, key, 'cannot be set with the host network', 'it would change the host; drop it, or give the container a network of its own');
      }
    } else if (!IPC_SYSCTLS.has(key) && !key.startsWith('fs.mqueue.')) {
      throw refuse(container, key, 'is not namespaced, so setting it would change the host',
        'only kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.* and net.* (with a network of its own) can be set per container');
    }
    out[key] = value;
  }
  return out;
}
