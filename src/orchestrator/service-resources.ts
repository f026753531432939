import type { CgroupLimits } from '../cgroups/cgroup-limits.js';
import { parseBytes } from '../compose/canonical/bytes.js';
import type { ServiceConfig } from '../compose/model.js';
import { TscError } from '../errors/index.js';

type Value = number | string | undefined;

function invalid(service: string, path: string, value: Value): TscError {
  return new TscError('CONTAINER_START', `service "${service}": invalid ${path} ${JSON.stringify(value)}`, {
    path: `services.${service}.${path}`,
    hint: 'write a number (sizes in bytes or with a unit such as 512m)',
  });
}

/** A canonical size (bytes as a string or number, `-1` for unlimited) as a number; undefined when absent. */
function bytes(service: string, path: string, value: Value): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : /^-\d+$/.test(value.trim()) ? Number(value) : parseBytes(value);
  if (n === undefined || !Number.isFinite(n)) throw invalid(service, path, value);
  return n;
}

function number(service: string, path: string, value: Value): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw invalid(service, path, value);
  return n;
}

function deployLimits(service: ServiceConfig): Record<string, Value> {
  const resources = service.deploy?.resources;
  const limits = typeof resources === 'object' && resources !== null ? (resources as { limits?: unknown }).limits : undefined;
  return typeof limits === 'object' && limits !== null ? (limits as Record<string, Value>) : {};
}

/**
 * The limits of a service's containers, as Docker Compose passes them to the engine: a limit under
 * `deploy.resources.limits` wins over the service-level one (the loader has already refused the two
 * when they differ). 0 means no limit; -1 means unlimited
 * (swap, pids). Docker's implicit swap limit of twice the memory is not applied: swap is limited
 * only when `memswap_limit` says so. The ranges are checked when the container is created.
 */
export function serviceResources(name: string, service: ServiceConfig): CgroupLimits | undefined {
  const deploy = deployLimits(service);
  const memory = bytes(name, 'deploy.resources.limits.memory', deploy.memory) || bytes(name, 'mem_limit', service.mem_limit);
  const swap = bytes(name, 'memswap_limit', service.memswap_limit);
  const cpus = number(name, 'deploy.resources.limits.cpus', deploy.cpus) || number(name, 'cpus', service.cpus);
  const shares = number(name, 'cpu_shares', service.cpu_shares);
  const pids = number(name, 'deploy.resources.limits.pids', deploy.pids) || number(name, 'pids_limit', service.pids_limit);
  const limits: CgroupLimits = {
    ...(memory !== undefined && memory > 0 ? { memoryBytes: memory } : {}),
    ...(swap ? { memorySwapBytes: swap < 0 ? 'unlimited' : swap } : {}),
    ...(cpus ? { cpus } : {}),
    ...(shares ? { cpuShares: shares } : {}),
    ...(service.cpuset === undefined || service.cpuset === '' ? {} : { cpuset: service.cpuset }),
    ...(pids ? { pids: pids < 0 ? 'unlimited' : pids } : {}),
  };
  return Object.keys(limits).length === 0 ? undefined : limits;
}
