/**
 * The parts of an RFC 1035 DNS message the embedded resolver needs. Names are kept as written
 * (without the trailing dot); comparisons are case-insensitive and done by the caller.
 */
export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;

export const DNS_CLASS_IN = 1;

export const DNS_OPCODE_QUERY = 0;

export const DNS_RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** The largest message a UDP answer may be without EDNS (RFC 1035, 4.2.1). */
export const DNS_UDP_LIMIT = 512;

export interface DnsHeader {
  readonly id: number;
  /** true in a response. */
  readonly qr: boolean;
  readonly opcode: number;
  /** Authoritative answer. */
  readonly aa: boolean;
  /** Truncated: the client should ask again over TCP. */
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly rcode: number;
}

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

/** A resource record with its RDATA as raw bytes (A records: 4 bytes). */
export interface DnsResourceRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly data: Uint8Array;
}

export interface DnsMessage {
  readonly header: DnsHeader;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsResourceRecord[];
  readonly authorities: readonly DnsResourceRecord[];
  readonly additionals: readonly DnsResourceRecord[];
}

/** An A record for `name` pointing at a dotted IPv4 address. */
export function aRecord(name: string, ipv4: string, ttl: number): DnsResourceRecord {
  const bytes = ipv4.split('.').map(Number);
  if (bytes.length !== 4 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) {
    throw new RangeError(`not an IPv4 address: ${ipv4}`);
  }
  return { name, type: DNS_TYPE.A, class: DNS_CLASS_IN, ttl, data: Uint8Array.from(bytes) };
}

/** The dotted form of an A record's RDATA. */
export function ipv4Of(record: DnsResourceRecord): string {
  return Array.from(record.data).join('.');
}
