import { open } from 'node:fs/promises';
import { parseLogLine, type LogRecord } from './log-record.js';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads a log file as it grows: each call returns the records completed since the last one. A line
 * still being written stays for the next call; a missing file is an empty log.
 */
export class LogCursor {
  private offset = 0;
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly path: string) {}

  async next(): Promise<LogRecord[]> {
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const chunks: Buffer[] = [this.pending];
    try {
      for (;;) {
        const buffer = Buffer.alloc(CHUNK);
        const { bytesRead } = await fh.read(buffer, 0, CHUNK, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        chunks.push(buffer.subarray(0, bytesRead));
      }
    } finally {
      await fh.close();
    }
    const data = Buffer.concat(chunks);
    const end = data.lastIndexOf(NEWLINE) + 1;
    this.pending = Buffer.from(data.subarray(end));
    const out: LogRecord[] = [];
    for (const line of data.subarray(0, end).toString('utf8').split('\n')) {
      const record = line === '' ? undefined : parseLogLine(line);
      if (record !== undefined) out.push(record);
    }
    return out;
  }
}
