import { CAPABILITIES, type Capability, type CapabilitySets } from '../kernel/launch-plan.js';
import type { CapabilityIntent } from './container-spec.js';
import { specError } from './spec-error.js';

/** Docker's 14 default capabilities. */
export const DEFAULT_CAPABILITIES: readonly Capability[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

const KNOWN = new Set<string>(CAPABILITIES);

/** `net_admin`, `NET_ADMIN` and `CAP_NET_ADMIN` all name CAP_NET_ADMIN; `all` names ALL. */
export function normalizeCapability(name: string): Capability | 'ALL' {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!KNOWN.has(full)) {
    throw specError(`unknown capability "${name}"`, `capabilities are named as in capabilities(7), e.g. NET_ADMIN or CAP_NET_ADMIN`);
  }
  return full as Capability;
}

/** Sorted in the kernel's order, without duplicates. */
function ordered(caps: Iterable<Capability>): Capability[] {
  const set = new Set(caps);
  return CAPABILITIES.filter((c) => set.has(c));
}

/**
 * The capability sets of a container, as Docker computes them: the defaults, minus `drop`, plus `add`;
 * `ALL` in `add` starts from every capability, `ALL` in `drop` from none; `privileged` takes every
 * capability the host holds. A capability asked for by name that the host lacks is refused; a default
 * the host lacks is left out.
 */
export function resolveCapabilities(intent: CapabilityIntent | undefined, host: readonly Capability[]): CapabilitySets {
  const held = new Set(host);
  let caps: Capability[];
  if (intent?.privileged === true) {
    caps = ordered(host);
  } else {
    const add = (intent?.add ?? []).map(normalizeCapability);
    const drop = (intent?.drop ?? []).map(normalizeCapability);
    const named = add.filter((c): c is Capability => c !== 'ALL');
    for (const cap of named) {
      if (!held.has(cap)) {
        throw specError(`capability ${cap} is not available on this host`,
          'the host\'s own bounding set lacks it (CapBnd in /proc/self/status); remove it from the added capabilities');
      }
    }
    let base: Capability[];
    if (add.includes('ALL')) base = [...held];
    else if (drop.includes('ALL')) base = [];
    else base = DEFAULT_CAPABILITIES.filter((c) => held.has(c));
    const dropped = new Set(drop);
    caps = ordered([...base.filter((c) => !dropped.has(c)), ...(add.includes('ALL') ? [] : named)]);
  }
  return { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] };
}
