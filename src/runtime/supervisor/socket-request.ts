import { connect } from 'node:net';
import { withSocketAddress } from '../../util/socket-address.js';
import type { SupervisorRequest, SupervisorResponse } from './protocol.js';

/**
 * Sends one request over the supervisor's socket and resolves with its answer; rejects on a connect
 * error or after `timeoutMs`. A path too long for sun_path is reached through its directory.
 */
export function socketRequest(path: string, request: SupervisorRequest, timeoutMs: number): Promise<SupervisorResponse> {
  return withSocketAddress(path, (address) => requestAt(address, request, timeoutMs));
}

function requestAt(address: string, request: SupervisorRequest, timeoutMs: number): Promise<SupervisorResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(address);
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no answer to ${request.op} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.end();
      try {
        resolve(JSON.parse(buffer.slice(0, end)) as SupervisorResponse);
      } catch (err) {
        reject(err as Error);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(Object.assign(new Error('the supervisor closed the connection without an answer'), { code: 'ECONNRESET' }));
    });
  });
}
