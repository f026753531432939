import { isIP } from 'node:net';

export const NETWORK_RECORD_VERSION = 1;

/** One container's place on a network. */
export interface EndpointRecord {
  /** The container's name (its id once known is `containerId`). */
  readonly container: string;
  readonly containerId?: string;
  readonly ip: string;
  readonly mac: string;
  /** Inside the container: eth0, eth1, ... */
  readonly ifname: string;
  /** The host side of its veth pair. */
  readonly hostIfname: string;
  readonly aliases: readonly string[];
  /** The network namespace file it lives in. */
  readonly netns: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A bridge network, in `<data-root>/networks/<id>.json`. */
export interface NetworkRecord {
  readonly version: typeof NETWORK_RECORD_VERSION;
  readonly id: string;
  /** The full name, e.g. `proj_default`. */
  readonly name: string;
  readonly driver: 'bridge';
  readonly bridge: string;
  /** CIDR. */
  readonly subnet: string;
  readonly gateway: string;
  /** CIDR inside the subnet that container addresses come from; absent: the whole subnet. */
  readonly ipRange?: string;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly mtu?: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, string>>;
  readonly createdAt: string;
  /** Keyed by container name. */
  readonly endpoints: Readonly<Record<string, EndpointRecord>>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrMap = (v: unknown): boolean => isObj(v) && Object.values(v).every(isStr);

function checkEndpoint(v: unknown): boolean {
  return isObj(v) && isStr(v.container) && isStr(v.ip) && isIP(v.ip) === 4 && isStr(v.mac) && isStr(v.ifname) &&
    isStr(v.hostIfname) && Array.isArray(v.aliases) && v.aliases.every(isStr) && isStr(v.netns) && isStrMap(v.labels) &&
    (v.containerId === undefined || isStr(v.containerId));
}

/** Checks a parsed network record; throws naming the first field that is wrong. */
export function validateNetworkRecord(value: unknown): NetworkRecord {
  const checks: [string, (r: Obj) => boolean][] = [
    ['version', (r) => r.version === NETWORK_RECORD_VERSION],
    ['id', (r) => isStr(r.id) && /^[0-9a-f]{64}$/.test(r.id)],
    ['name', (r) => isStr(r.name) && r.name !== ''],
    ['driver', (r) => r.driver === 'bridge'],
    ['bridge', (r) => isStr(r.bridge) && r.bridge.length <= 15],
    ['subnet', (r) => isStr(r.subnet)],
    ['gateway', (r) => isStr(r.gateway) && isIP(r.gateway) === 4],
    ['ipRange', (r) => r.ipRange === undefined || isStr(r.ipRange)],
    ['internal', (r) => typeof r.internal === 'boolean'],
    ['attachable', (r) => typeof r.attachable === 'boolean'],
    ['mtu', (r) => r.mtu === undefined || Number.isSafeInteger(r.mtu)],
    ['labels', (r) => isStrMap(r.labels)],
    ['options', (r) => isStrMap(r.options)],
    ['createdAt', (r) => isStr(r.createdAt)],
    ['endpoints', (r) => isObj(r.endpoints) && Object.values(r.endpoints).every(checkEndpoint)],
  ];
  if (!isObj(value)) throw new Error('not a JSON object');
  for (const [field, check] of checks) if (!check(value)) throw new Error(`field \`${field}\` is missing or wrong`);
  return value as unknown as NetworkRecord;
}
