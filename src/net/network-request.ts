import { TscError } from '../errors/index.js';
import { defaultGateway } from './ipam.js';
import { contains, formatCidr, parseCidr, parseIp, type Cidr } from './ipv4.js';

/** A network to create, in Compose's terms but already named (`<project>_<name>` or `name:`). */
export interface NetworkRequest {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly driver?: string;
  readonly driverOpts?: Readonly<Record<string, string>>;
  readonly internal?: boolean;
  readonly attachable?: boolean;
  /** The first `ipam.config` entry. */
  readonly ipam?: { readonly subnet?: string; readonly gateway?: string; readonly ipRange?: string };
}

/** What a request asks of the bridge, checked. */
export interface BridgeSettings {
  /** From `com.docker.network.bridge.name`; absent: tscompose's own name. */
  readonly bridgeName?: string;
  readonly mtu?: number;
  readonly subnet?: Cidr;
  readonly gateway?: number;
  readonly ipRange?: Cidr;
}

const OPT = {
  name: 'com.docker.network.bridge.name',
  mtu: 'com.docker.network.driver.mtu',
  icc: 'com.docker.network.bridge.enable_icc',
} as const;

/** Checks a request's driver, driver_opts and IPAM; the errors name the network and the option. */
export function bridgeSettings(request: NetworkRequest): BridgeSettings {
  const subject = `network ${request.name}`;
  if (request.driver !== undefined && request.driver !== 'bridge') {
    throw new TscError('UNSUPPORTED', `${subject}: driver "${request.driver}" is not supported`, { hint: 'use the bridge driver (the default)' });
  }
  const opts = request.driverOpts ?? {};
  const bridgeName = opts[OPT.name];
  if (bridgeName !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}$/.test(bridgeName)) {
    throw new TscError('NETWORK_CONFLICT', `${subject}: bridge name "${bridgeName}" is not a valid interface name`, {
      hint: 'an interface name has at most 15 letters, digits, `_`, `.` or `-`',
    });
  }
  const mtuText = opts[OPT.mtu];
  const mtu = mtuText === undefined ? undefined : Number(mtuText);
  if (mtu !== undefined && !(Number.isInteger(mtu) && mtu >= 68 && mtu <= 65535)) {
    throw new TscError('NETWORK_CONFLICT', `${subject}: ${OPT.mtu} "${mtuText}" is not a valid MTU`, { hint: 'give a whole number from 68 to 65535' });
  }
  if (opts[OPT.icc] === 'false') {
    throw new TscError('UNSUPPORTED', `${subject}: ${OPT.icc}=false is not supported`, {
      hint: 'containers on one network always reach each other; use separate networks to isolate them',
    });
  }
  return { ...(bridgeName === undefined ? {} : { bridgeName }), ...(mtu === undefined ? {} : { mtu }), ...ipamSettings(subject, request.ipam ?? {}) };
}

function ipamSettings(subject: string, ipam: NonNullable<NetworkRequest['ipam']>): Pick<BridgeSettings, 'subnet' | 'gateway' | 'ipRange'> {
  const bad = (what: string, value: string, hint: string): TscError =>
    new TscError('NETWORK_CONFLICT', `${subject}: ipam ${what} "${value}" is not valid`, { hint });
  if (ipam.subnet === undefined) {
    if (ipam.gateway !== undefined || ipam.ipRange !== undefined) {
      throw new TscError('NETWORK_CONFLICT', `${subject}: ipam gateway and ip_range need a subnet`, { hint: 'add `subnet:` to the same ipam.config entry' });
    }
    return {};
  }
  const subnet = parseCidr(ipam.subnet);
  if (subnet === undefined || subnet.prefix > 30) throw bad('subnet', ipam.subnet, 'give an IPv4 CIDR with its host bits clear and a prefix of at most /30, e.g. 10.5.0.0/24');
  const gateway = ipam.gateway === undefined ? defaultGateway(subnet) : parseIp(ipam.gateway);
  if (gateway === undefined || !contains(subnet, gateway)) throw bad('gateway', ipam.gateway ?? '', `give an address inside ${formatCidr(subnet)}`);
  const ipRange = ipam.ipRange === undefined ? undefined : parseCidr(ipam.ipRange);
  if (ipam.ipRange !== undefined && (ipRange === undefined || !contains(subnet, ipRange.base) || ipRange.prefix < subnet.prefix)) {
    throw bad('ip_range', ipam.ipRange, `give a CIDR inside ${formatCidr(subnet)}`);
  }
  return { subnet, gateway, ...(ipRange === undefined ? {} : { ipRange }) };
}

