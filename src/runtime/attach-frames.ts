import { TscError } from '../errors/index.js';

/**
 * The frames an attached client sends the container's monitor (src/native/PROTOCOL.md, "Attach"):
 * `type (1 byte) length (4 bytes, big-endian) payload`.
 */
export type FrameType = 'd' | 'w' | 'e';

const HEADER = 5;
const SIDE_MAX = 65535;

function frame(type: FrameType, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.write(type, 0, 'latin1');
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, HEADER);
  return out;
}

/** Bytes for the container's stdin (its terminal with tty). */
export function dataFrame(data: Uint8Array): Buffer {
  return frame('d', data);
}

/** The end of the input: with stdin `once` the container reads EOF. */
export function endFrame(): Buffer {
  return frame('e');
}

/** A window size for the terminal: rows and columns, each 1 to 65535. */
export function resizeFrame(size: { readonly rows: number; readonly columns: number }): Buffer {
  for (const n of [size.rows, size.columns]) {
    if (!Number.isInteger(n) || n < 1 || n > SIDE_MAX) {
      throw new TscError('USAGE', `bad terminal size ${size.rows}x${size.columns}`, {
        hint: `rows and columns are whole numbers from 1 to ${SIDE_MAX}`,
      });
    }
  }
  const payload = Buffer.alloc(4);
  payload.writeUInt16BE(size.rows, 0);
  payload.writeUInt16BE(size.columns, 2);
  return frame('w', payload);
}
