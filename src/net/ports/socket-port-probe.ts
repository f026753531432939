import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, isIPv6 } from 'node:net';
import { TscError } from '../../errors/index.js';
import type { PortProbe } from './port-allocator.js';
import { findPortHolder, procReader, type PortHolder, type ProcReader } from './port-holder.js';
import type { PortProtocol } from './published-port.js';

/** The real probe: binds each port for a moment with a socket of its protocol. */
export class SocketPortProbe implements PortProbe {
  constructor(private readonly proc: ProcReader = procReader()) {}

  async isFree(hostIp: string, port: number, protocol: PortProtocol): Promise<boolean> {
    try {
      await bindOnce(hostIp, port, protocol);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') return false;
      throw bindError(hostIp, port, protocol, err);
    }
  }

  async ephemeral(hostIp: string, protocol: PortProtocol): Promise<number> {
    try {
      return await bindOnce(hostIp, 0, protocol);
    } catch (err) {
      throw bindError(hostIp, 0, protocol, err);
    }
  }

  holder(_hostIp: string, port: number, protocol: PortProtocol): Promise<PortHolder | undefined> {
    return findPortHolder(this.proc, port, protocol);
  }
}

/** Binds and closes at once; resolves with the port bound. */
async function bindOnce(hostIp: string, port: number, protocol: PortProtocol): Promise<number> {
  if (protocol === 'udp') {
    const socket = createSocket(isIPv6(hostIp) ? 'udp6' : 'udp4');
    try {
      socket.bind({ address: hostIp, port, exclusive: true });
      await once(socket, 'listening'); // rejects on 'error'
      return socket.address().port;
    } finally {
      await new Promise<void>((resolve) => { try { socket.close(() => resolve()); } catch { resolve(); } });
    }
  }
  const server = createServer();
  try {
    server.listen({ host: hostIp, port, exclusive: true });
    await once(server, 'listening'); // rejects on 'error'
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function bindError(hostIp: string, port: number, protocol: PortProtocol, err: unknown): TscError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  if (code === 'EACCES' || code === 'EPERM') {
    return new TscError('KERNEL_EPERM', `publish ${hostIp}:${port}/${protocol}: bind: ${code}`, { hint: 'ports below 1024 need root', cause: err });
  }
  if (code === 'EADDRINUSE') {
    return new TscError('PORT_IN_USE', `publish ${hostIp}:${port}/${protocol}: bind: ${code}`, { hint: 'stop what holds the port, or publish another host port', cause: err });
  }
  return new TscError('KERNEL', `publish ${hostIp}:${port}/${protocol}: bind: ${code}`, {
    hint: code === 'EADDRNOTAVAIL' ? 'host_ip must be an address of this machine (or 0.0.0.0)' : 'check the host address and port',
    cause: err,
  });
}
