import { TscError } from '../../errors/index.js';
import { formatPortHolder, type PortHolder } from './port-holder.js';
import type { PortProtocol, PortRequest, PublishedPort } from './published-port.js';

/** How the allocator learns whether a host port is free: the real one binds it briefly. */
export interface PortProbe {
  /** Binds `hostIp:port` and lets go; false when the port is in use (other failures throw). */
  isFree(hostIp: string, port: number, protocol: PortProtocol): Promise<boolean>;
  /** A free port the kernel picks for `hostIp`. */
  ephemeral(hostIp: string, protocol: PortProtocol): Promise<number>;
  /** Who holds a port, when that can be found. */
  holder(hostIp: string, port: number, protocol: PortProtocol): Promise<PortHolder | undefined>;
}

export interface AllocateOptions {
  /**
   * Ports the project already publishes (its supervisor holds them): they are not probed, and a
   * container that had one keeps it when its request still allows it.
   */
  held?: readonly PublishedPort[];
}

const EPHEMERAL_TRIES = 16;

/**
 * Chooses a host port for every request, before anything is created: a fixed port must be free
 * (else PORT_IN_USE naming the port and, when findable, its holder); a range takes its first free
 * port; no port takes one the kernel picks. Requests never share a host port among themselves.
 */
export async function allocatePorts(requests: readonly PortRequest[], probe: PortProbe, options: AllocateOptions = {}): Promise<PublishedPort[]> {
  const held = options.held ?? [];
  const chosen: PublishedPort[] = [];
  const overlaps = (a: { hostIp: string; hostPort: number; protocol: PortProtocol }, b: typeof a): boolean =>
    a.protocol === b.protocol && a.hostPort === b.hostPort && (a.hostIp === b.hostIp || isWildcard(a.hostIp) || isWildcard(b.hostIp));
  const usable = async (request: PortRequest, port: number): Promise<'free' | 'taken' | 'busy'> => {
    const candidate = { hostIp: request.hostIp, hostPort: port, protocol: request.protocol };
    if (chosen.some((c) => overlaps(c, candidate))) return 'taken';
    if (held.some((h) => overlaps(h, candidate))) return 'free';
    return (await probe.isFree(request.hostIp, port, request.protocol)) ? 'free' : 'busy';
  };
  for (const request of requests) {
    const previous = held.find((h) => h.container === request.container && h.containerPort === request.containerPort &&
      h.protocol === request.protocol && h.hostIp === request.hostIp && fits(request, h.hostPort));
    const mine = previous !== undefined && !chosen.some((c) => overlaps(c, previous)) ? previous.hostPort : undefined;
    const port = mine ?? (await choose(request, probe, usable));
    chosen.push({ container: request.container, service: request.service, hostIp: request.hostIp, hostPort: port, containerPort: request.containerPort, protocol: request.protocol });
  }
  return chosen;
}

async function choose(request: PortRequest, probe: PortProbe, usable: (r: PortRequest, port: number) => Promise<'free' | 'taken' | 'busy'>): Promise<number> {
  const range = request.hostPorts;
  if (range === undefined) {
    for (let i = 0; i < EPHEMERAL_TRIES; i++) {
      const port = await probe.ephemeral(request.hostIp, request.protocol);
      if ((await usable(request, port)) === 'free') return port;
    }
    throw inUse(request, 'no free port could be had from the kernel', undefined);
  }
  let firstBusy: number | undefined;
  for (let port = range.first; port <= range.last; port++) {
    const state = await usable(request, port);
    if (state === 'free') return port;
    if (state === 'busy') firstBusy ??= port;
  }
  if (range.first === range.last) {
    const holder = firstBusy === undefined ? undefined : await probe.holder(request.hostIp, range.first, request.protocol);
    const why = firstBusy === undefined ? 'it is published twice by this project' : `it is already in use${holder === undefined ? '' : ` by ${formatPortHolder(holder)}`}`;
    throw inUse(request, why, range.first);
  }
  throw inUse(request, `every port of ${range.first}-${range.last} is in use`, undefined);
}

function inUse(request: PortRequest, why: string, port: number | undefined): TscError {
  const where = `${request.hostIp}:${port ?? portsText(request)}/${request.protocol}`;
  return new TscError('PORT_IN_USE', `publish ${where} for \`${request.container}\`: ${why}`, {
    hint: 'stop what holds the port, publish another host port, or give a range (e.g. "9000-9010:80") to take the first free one',
  });
}

function portsText(request: PortRequest): string {
  const range = request.hostPorts;
  if (range === undefined) return '0';
  return range.first === range.last ? String(range.first) : `${range.first}-${range.last}`;
}

function fits(request: PortRequest, port: number): boolean {
  return request.hostPorts === undefined || (port >= request.hostPorts.first && port <= request.hostPorts.last);
}

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}
