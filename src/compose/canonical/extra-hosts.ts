import { isDict } from '../types.js';
import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';

const HINT = 'write "HOST=IP" (or "HOST:IP"), e.g. "db.local=10.0.0.2", or a mapping {db.local: 10.0.0.2}';

/**
 * `extra_hosts`: `HOST=IP` / `HOST:IP` entries (several IPs may be comma-separated) or a mapping of
 * host to IP or IPs, as a mapping of host to the list of its IPs. `[::1]` loses its brackets.
 */
export function canonicalExtraHosts(value: unknown, site: Site): unknown {
  const hosts: Record<string, string[]> = {};
  const add = (host: string, ips: string[], path: Array<string | number>, raw: unknown): void => {
    if (host === '' || /[:=]/.test(host)) throw invalidValue(path, `bad host name in ${quote(raw)}`, HINT);
    hosts[host] = [...(hosts[host] ?? []), ...ips.map(unbracket)];
  };
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const text = String(entry);
      const sep = text.includes('=') ? text.indexOf('=') : text.indexOf(':');
      if (sep < 0) throw invalidValue([...site.path, index], `invalid extra host ${quote(entry)}: missing IP`, HINT);
      add(text.slice(0, sep), text.slice(sep + 1).split(','), [...site.path, index], entry);
    });
    return hosts;
  }
  if (!isDict(value)) return value;
  for (const [host, ips] of Object.entries(value)) {
    const list = Array.isArray(ips) ? ips.map(String) : [ips === null || ips === undefined ? '' : String(ips)];
    add(host, list, [...site.path, host], host);
  }
  return hosts;
}

function unbracket(ip: string): string {
  return ip.length > 2 && ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}
