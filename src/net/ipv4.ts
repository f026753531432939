/** IPv4 addresses as unsigned 32-bit numbers, and CIDR blocks, for IPAM arithmetic. */

export interface Cidr {
  /** The network address (host bits cleared). */
  readonly base: number;
  readonly prefix: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a number, or undefined when it is not dotted-quad IPv4. */
export function parseIp(text: string): number | undefined {
  const m = OCTETS.exec(text.trim());
  if (m === null) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function sizeOf(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** `a.b.c.d/n` (host bits must be clear unless `loose`), or a bare address as a /32. Undefined when malformed. */
export function parseCidr(text: string, loose = false): Cidr | undefined {
  const [addr = '', len, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const ip = parseIp(addr);
  const prefix = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (ip === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  const size = 2 ** (32 - prefix);
  const base = ip - (ip % size);
  if (base !== ip && !loose) return undefined;
  return { base, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.base)}/${cidr.prefix}`;
}

export function contains(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + sizeOf(cidr);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + sizeOf(b) && b.base < a.base + sizeOf(a);
}
