import type { DnsHeader, DnsMessage, DnsQuestion, DnsResourceRecord } from './dns-message.js';

export type DnsDecodeResult = { message: DnsMessage } | { error: string; id?: number };

const MAX_NAME = 255;
const MAX_POINTERS = 64;

class Malformed extends Error {}

/**
 * Reads a whole DNS message. Compression pointers (RFC 1035, 4.1.4) are followed on read, only
 * backwards and a bounded number of times, so a crafted message cannot loop. Never throws: a
 * malformed message gives `error` (with the id when the header was readable, for a FORMERR).
 */
export function decodeMessage(bytes: Uint8Array): DnsDecodeResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) return { error: `message of ${bytes.length} bytes is shorter than a header` };
  const id = view.getUint16(0);
  try {
    const flags = view.getUint16(2);
    const header: DnsHeader = {
      id,
      qr: (flags & 0x8000) !== 0,
      opcode: (flags >> 11) & 0xf,
      aa: (flags & 0x0400) !== 0,
      tc: (flags & 0x0200) !== 0,
      rd: (flags & 0x0100) !== 0,
      ra: (flags & 0x0080) !== 0,
      rcode: flags & 0xf,
    };
    const counts = [view.getUint16(4), view.getUint16(6), view.getUint16(8), view.getUint16(10)] as const;
    const cursor = { offset: 12 };
    const questions: DnsQuestion[] = [];
    for (let i = 0; i < counts[0]; i++) {
      const name = readName(bytes, cursor);
      need(bytes, cursor.offset, 4);
      questions.push({ name, type: view.getUint16(cursor.offset), class: view.getUint16(cursor.offset + 2) });
      cursor.offset += 4;
    }
    const records = (n: number): DnsResourceRecord[] => Array.from({ length: n }, () => readRecord(bytes, view, cursor));
    return { message: { header, questions, answers: records(counts[1]), authorities: records(counts[2]), additionals: records(counts[3]) } };
  } catch (err) {
    if (err instanceof Malformed) return { error: err.message, id };
    throw err;
  }
}

function readRecord(bytes: Uint8Array, view: DataView, cursor: { offset: number }): DnsResourceRecord {
  const name = readName(bytes, cursor);
  need(bytes, cursor.offset, 10);
  const type = view.getUint16(cursor.offset);
  const klass = view.getUint16(cursor.offset + 2);
  const ttl = view.getUint32(cursor.offset + 4);
  const length = view.getUint16(cursor.offset + 8);
  cursor.offset += 10;
  need(bytes, cursor.offset, length);
  const data = bytes.slice(cursor.offset, cursor.offset + length);
  cursor.offset += length;
  return { name, type, class: klass, ttl, data };
}

/** Reads a name at the cursor, following pointers; the cursor ends after the name as written. */
function readName(bytes: Uint8Array, cursor: { offset: number }): string {
  const labels: string[] = [];
  let offset = cursor.offset;
  let end: number | undefined;
  let length = 0;
  for (let jumps = 0; ; ) {
    need(bytes, offset, 1);
    const len = bytes[offset] as number;
    if ((len & 0xc0) === 0xc0) {
      need(bytes, offset, 2);
      const target = ((len & 0x3f) << 8) | (bytes[offset + 1] as number);
      if (target >= offset) throw new Malformed(`compression pointer at ${offset} does not point backwards`);
      if (++jumps > MAX_POINTERS) throw new Malformed('too many compression pointers');
      end ??= offset + 2;
      offset = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new Malformed(`label type 0x${len.toString(16)} at ${offset} is not supported`);
    if (len === 0) {
      end ??= offset + 1;
      break;
    }
    need(bytes, offset + 1, len);
    length += len + 1;
    if (length > MAX_NAME) throw new Malformed(`name longer than ${MAX_NAME} bytes`);
    labels.push(Buffer.from(bytes.subarray(offset + 1, offset + 1 + len)).toString('latin1'));
    offset += len + 1;
  }
  cursor.offset = end;
  return labels.join('.');
}

function need(bytes: Uint8Array, offset: number, n: number): void {
  if (offset + n > bytes.length) throw new Malformed(`message ends at ${bytes.length}, ${n} more bytes expected at ${offset}`);
}
