import { isIP } from 'node:net';

/** One published port as the short syntax describes it. */
export interface PortBinding {
  host_ip?: string;
  target: number;
  published?: string;
  protocol: string;
}

export type PortParse = { ports: PortBinding[] } | { error: string };

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/**
 * Parses `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` the way the Docker CLI does: ranges of
 * equal length expand to one binding per port; a host range over a single container port stays one
 * binding whose `published` is the range.
 */
export function parsePortSpec(raw: string): PortParse {
  const [rawIp, hostPort, rawContainer] = splitParts(raw);
  const [protocol, containerPort] = splitProtocol(rawContainer);
  const ip = rawIp.startsWith('[') && rawIp.endsWith(']') ? rawIp.slice(1, -1) : rawIp;
  if (ip !== '' && isIP(ip) === 0) return { error: `invalid IP address ${JSON.stringify(rawIp)}` };
  if (containerPort === '') return { error: 'no container port specified' };
  const container = parseRange(containerPort);
  if (container === undefined) return { error: `invalid container port ${JSON.stringify(containerPort)}` };
  let host: [number, number] | undefined;
  if (hostPort !== '') {
    host = parseRange(hostPort);
    if (host === undefined) return { error: `invalid host port ${JSON.stringify(hostPort)}` };
  }
  const containerSpan = container[1] - container[0];
  if (host !== undefined && host[1] - host[0] !== containerSpan && containerSpan !== 0) {
    return { error: `host range ${hostPort} and container range ${containerPort} differ in length` };
  }
  const proto = protocol.toLowerCase();
  if (!PROTOCOLS.has(proto)) return { error: `invalid protocol ${JSON.stringify(protocol)}` };
  const ports: PortBinding[] = [];
  for (let i = 0; i <= containerSpan; i++) {
    const binding: PortBinding = { target: container[0] + i, protocol: proto };
    if (ip !== '') binding.host_ip = ip;
    if (host !== undefined) {
      binding.published = containerSpan === 0 && host[0] !== host[1] ? `${host[0]}-${host[1]}` : String(host[0] + i);
    }
    ports.push(binding);
  }
  return { ports };
}

function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  const container = parts[n - 1] ?? '';
  if (n === 1) return ['', '', container];
  if (n === 2) return ['', parts[0] ?? '', container];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2] ?? '', container];
}

function splitProtocol(raw: string): [string, string] {
  const parts = raw.split('/');
  const port = parts[0] ?? '';
  if (port === '') return ['', ''];
  if (parts.length === 1 || parts[1] === '') return ['tcp', port];
  return [parts[1] ?? 'tcp', port];
}

function parseRange(text: string): [number, number] | undefined {
  const dash = text.indexOf('-');
  if (dash < 0) {
    const port = parsePort(text);
    return port === undefined ? undefined : [port, port];
  }
  const start = parsePort(text.slice(0, dash));
  const end = parsePort(text.slice(dash + 1));
  if (start === undefined || end === undefined || end < start) return undefined;
  return [start, end];
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}
