import { isDict, type Dict } from '../types.js';
import { invalidValue, quote } from './invalid.js';
import { parsePortSpec } from './port-spec.js';
import type { Site } from './transformer.js';

const HINT =
  'write a port as "[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]", e.g. "8080:80", "127.0.0.1:8080:80/udp" ' +
  'or "9000-9001:80-81", or use the long form {target: 80, published: "8080"}';

/**
 * `ports`: every entry becomes `{mode, host_ip?, target, published?, protocol}` with `target` a
 * number and `published` a string; a short entry with ranges expands to one entry per port.
 */
export function canonicalPorts(value: unknown, site: Site): unknown {
  if (!Array.isArray(value)) return value;
  const out: Dict[] = [];
  value.forEach((entry, index) => {
    const path = [...site.path, index];
    if (typeof entry === 'number') {
      out.push(longPort({ target: entry }, path));
    } else if (typeof entry === 'string') {
      const parsed = parsePortSpec(entry);
      if ('error' in parsed) throw invalidValue(path, `invalid port ${quote(entry)}: ${parsed.error}`, HINT);
      for (const port of parsed.ports) out.push(longPort({ ...port }, path));
    } else if (isDict(entry)) {
      out.push(longPort(entry, path));
    } else {
      throw invalidValue(path, `invalid port ${quote(entry)}`, HINT);
    }
  });
  return out;
}

function longPort(entry: Dict, path: Array<string | number>): Dict {
  const { name, mode, host_ip, target, published, protocol, app_protocol, ...rest } = entry;
  const port: Dict = {};
  if (name !== undefined) port.name = name;
  port.mode = mode ?? 'ingress';
  if (host_ip !== undefined) port.host_ip = host_ip;
  port.target = targetNumber(target, path);
  if (published !== undefined && published !== null && published !== '') port.published = String(published);
  port.protocol = protocol ?? 'tcp';
  if (app_protocol !== undefined) port.app_protocol = app_protocol;
  return { ...port, ...rest };
}

function targetNumber(target: unknown, path: Array<string | number>): number {
  if (typeof target === 'number' && Number.isInteger(target)) return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  throw invalidValue([...path, 'target'], `invalid container port ${quote(target)}`, 'set target to a port number, e.g. target: 80');
}
