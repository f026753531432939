import { TscError } from '../../errors/index.js';
import { BLOCK } from './tar-entry.js';

/** A decoded 512-byte header block, before PAX and GNU long names are applied. */
export interface RawHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** The POSIX prefix field (empty for GNU and v7 headers). */
  prefix: string;
}

function corrupt(why: string): TscError {
  return new TscError('IMAGE_INVALID', `tar archive is corrupt: ${why}`, {
    hint: 'the archive or layer is damaged or is not a tar file; fetch or export it again',
  });
}

function readString(block: Buffer, offset: number, length: number): string {
  if (block[offset] === 0) return '';
  let end = block.indexOf(0, offset);
  if (end < 0 || end > offset + length) end = offset + length;
  return block.toString('utf8', offset, end);
}

/** An octal field, or a base-256 one (high bit set, GNU's way to store big or negative values). */
function readNumber(block: Buffer, offset: number, length: number, field: string): number {
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    // Two's complement: 0x80 starts a positive value, 0xff a negative one.
    const negative = first === 0xff;
    let magnitude = negative ? 0 : first & 0x7f;
    for (let i = 1; i < length; i++) {
      const byte = block[offset + i] ?? 0;
      magnitude = magnitude * 256 + (negative ? 255 - byte : byte);
    }
    const value = negative ? -(magnitude + 1) : magnitude;
    if (!Number.isSafeInteger(value)) throw corrupt(`${field} is too large`);
    return value;
  }
  let start = offset;
  let end = offset + length;
  while (start < end && block[start] === 0x20) start++;
  while (end > start && (block[end - 1] === 0 || block[end - 1] === 0x20)) end--;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = (block[i] ?? 0) - 0x30;
    if (digit < 0 || digit > 7) throw corrupt(`${field} field \`${block.toString('latin1', start, end)}\` is not octal`);
    value = value * 8 + digit;
  }
  return value;
}

const CHECKSUM_AT = 148;
const CHECKSUM_END = 156;

/** The unsigned header checksum: every byte summed, the checksum field counted as spaces. */
function unsignedChecksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i] as number;
  for (let i = CHECKSUM_AT; i < CHECKSUM_END; i++) sum += 0x20 - (block[i] as number);
  return sum;
}

/** The same with bytes read as signed, as some old tars wrote it. */
function signedChecksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= CHECKSUM_AT && i < CHECKSUM_END ? 0x20 : ((block[i] as number) << 24) >> 24;
  return sum;
}

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Decode one header block; the checksum is verified. */
export function decodeHeader(block: Buffer): RawHeader {
  const stored = readNumber(block, CHECKSUM_AT, 8, 'checksum');
  if (stored !== unsignedChecksum(block) && stored !== signedChecksum(block)) throw corrupt('header checksum mismatch');
  // The magic at 257: `ustar\0` (POSIX), `ustar ` (GNU), anything else (v7).
  const magic = block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74 && block[260] === 0x61 && block[261] === 0x72;
  const posix = magic && block[262] === 0;
  return decodeFields(block, posix || (magic && block[262] === 0x20), posix);
}

function decodeFields(block: Buffer, ustar: boolean, posix: boolean): RawHeader {
  return {
    name: readString(block, 0, 100),
    mode: readNumber(block, 100, 8, 'mode'),
    uid: readNumber(block, 108, 8, 'uid'),
    gid: readNumber(block, 116, 8, 'gid'),
    size: readNumber(block, 124, 12, 'size'),
    mtime: readNumber(block, 136, 12, 'mtime'),
    typeflag: String.fromCharCode(block[156] ?? 0),
    linkname: readString(block, 157, 100),
    uname: ustar ? readString(block, 265, 32) : '',
    gname: ustar ? readString(block, 297, 32) : '',
    devmajor: ustar ? readNumber(block, 329, 8, 'devmajor') : 0,
    devminor: ustar ? readNumber(block, 337, 8, 'devminor') : 0,
    prefix: posix ? readString(block, 345, 155) : '',
  };
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value, offset, length, 'utf8');
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  const text = Math.max(0, Math.floor(value)).toString(8).padStart(length - 1, '0');
  block.write(text, offset, length - 1, 'latin1');
  block[offset + length - 1] = 0;
}

/** The largest value an octal field of `length` bytes holds. */
export function octalLimit(length: number): number {
  return 8 ** (length - 1) - 1;
}

/** Encode a POSIX ustar header; values that do not fit must go in a PAX header first. */
export function encodeHeader(header: RawHeader): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, header.name);
  writeOctal(block, 100, 8, header.mode);
  writeOctal(block, 108, 8, Math.min(header.uid, octalLimit(8)));
  writeOctal(block, 116, 8, Math.min(header.gid, octalLimit(8)));
  writeOctal(block, 124, 12, Math.min(header.size, octalLimit(12)));
  writeOctal(block, 136, 12, Math.min(header.mtime, octalLimit(12)));
  block.write(header.typeflag, 156, 1, 'latin1');
  writeString(block, 157, 100, header.linkname);
  block.write('ustar\x0000', 257, 8, 'latin1');
  writeString(block, 265, 32, header.uname);
  writeString(block, 297, 32, header.gname);
  writeOctal(block, 329, 8, header.devmajor);
  writeOctal(block, 337, 8, header.devminor);
  writeString(block, 345, 155, header.prefix);
  block.fill(0x20, 148, 156);
  const sum = unsignedChecksum(block);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}
