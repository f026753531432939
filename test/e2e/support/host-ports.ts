import { connect, createServer, type Server } from 'node:net';

/** Binds 127.0.0.1:port as a plain TCP listener of this process, so the test owns it; undefined when it is taken. */
export function hold(port: number): Promise<Server | undefined> {
  const server = createServer((s) => s.destroy());
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}

export const close = (server: Server | undefined): Promise<void> =>
  new Promise((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));

/** A free TCP port on 127.0.0.1 from a random high range (several test files run at once). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const server = await hold(port);
    if (server !== undefined) {
      await close(server);
      return port;
    }
  }
  throw new Error('no free port');
}

export type HttpAnswer = { status: string; body: string } | { error: string };

/** `GET /` on 127.0.0.1:port once: the status line and the body, or why there was no answer. */
export function httpGet(port: number): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.on('connect', () => socket.end('GET / HTTP/1.0\r\n\r\n'));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= String(err.code)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      if (text === '') {
        resolve({ error: error ?? 'closed without an answer' });
        return;
      }
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: head.split('\r\n')[0] ?? '', body });
    });
  });
}
