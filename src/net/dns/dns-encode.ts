import type { DnsHeader, DnsMessage, DnsResourceRecord } from './dns-message.js';

export interface EncodeOptions {
  /**
   * The largest message allowed (512 for UDP without EDNS). Records that do not fit are left out,
   * whole, and the TC bit is set so the client can ask again over TCP.
   */
  maxBytes?: number;
}

/** Writes a DNS message; names are compressed against names and suffixes already written. */
export function encodeMessage(message: DnsMessage, options: EncodeOptions = {}): Buffer {
  const limit = options.maxBytes ?? 65535;
  const out = new Writer();
  out.u16(message.header.id);
  out.u16(0);
  out.u16(message.questions.length);
  out.u16(0);
  out.u16(0);
  out.u16(0);
  for (const q of message.questions) {
    out.name(q.name);
    out.u16(q.type);
    out.u16(q.class);
  }
  let truncated = message.header.tc;
  const counts = [0, 0, 0];
  const sections = [message.answers, message.authorities, message.additionals];
  sections.forEach((records, index) => {
    for (const record of records) {
      if (truncated) return;
      const mark = out.mark();
      writeRecord(out, record);
      if (out.length > limit) {
        out.reset(mark);
        truncated = true;
        return;
      }
      counts[index] = (counts[index] ?? 0) + 1;
    }
  });
  const bytes = out.bytes();
  bytes.writeUInt16BE(flags({ ...message.header, tc: truncated }), 2);
  bytes.writeUInt16BE(counts[0] ?? 0, 6);
  bytes.writeUInt16BE(counts[1] ?? 0, 8);
  bytes.writeUInt16BE(counts[2] ?? 0, 10);
  return bytes;
}

function flags(h: DnsHeader): number {
  return (h.qr ? 0x8000 : 0) | ((h.opcode & 0xf) << 11) | (h.aa ? 0x0400 : 0) | (h.tc ? 0x0200 : 0) |
    (h.rd ? 0x0100 : 0) | (h.ra ? 0x0080 : 0) | (h.rcode & 0xf);
}

function writeRecord(out: Writer, record: DnsResourceRecord): void {
  out.name(record.name);
  out.u16(record.type);
  out.u16(record.class);
  out.u32(record.ttl);
  out.u16(record.data.length);
  out.raw(record.data);
}

interface Mark {
  length: number;
  suffixes: Map<string, number>;
}

class Writer {
  private chunks: number[] = [];
  private suffixes = new Map<string, number>();

  get length(): number {
    return this.chunks.length;
  }

  mark(): Mark {
    return { length: this.chunks.length, suffixes: new Map(this.suffixes) };
  }

  reset(mark: Mark): void {
    this.chunks.length = mark.length;
    this.suffixes = mark.suffixes;
  }

  u16(value: number): void {
    this.chunks.push((value >> 8) & 0xff, value & 0xff);
  }

  u32(value: number): void {
    this.u16((value >>> 16) & 0xffff);
    this.u16(value & 0xffff);
  }

  raw(bytes: Uint8Array): void {
    for (const b of bytes) this.chunks.push(b);
  }

  /** A name as labels, ending in a pointer to the longest suffix already written, if any. */
  name(name: string): void {
    const labels = name.replace(/\.$/, '').split('.').filter((l) => l !== '');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.suffixes.get(suffix);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.chunks.length < 0x3fff) this.suffixes.set(suffix, this.chunks.length);
      const label = Buffer.from(labels[i] as string, 'latin1');
      if (label.length > 63) throw new RangeError(`DNS label longer than 63 bytes: ${labels[i]}`);
      this.chunks.push(label.length);
      this.raw(label);
    }
    this.chunks.push(0);
  }

  bytes(): Buffer {
    return Buffer.from(this.chunks);
  }
}
