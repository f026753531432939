import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketServer } from '../../../../src/runtime/supervisor/server.js';
import { socketRequest } from '../../../../src/runtime/supervisor/socket-request.js';
import { SUN_PATH_MAX } from '../../../../src/util/socket-address.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A directory whose `supervisor.sock` is longer than sun_path holds. */
function deepDir(): string {
  const top = mkdtempSync(join(tmpdir(), 'tsc-sock-'));
  dirs.push(top);
  const dir = join(top, 'a-rather-long-runtime-root-name'.repeat(3), 'projects', 'a-project-with-a-long-name');
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('the supervisor socket at a path longer than sun_path', () => {
  it('is served and reached through its directory, and removed when the server closes', async () => {
    const path = join(deepDir(), 'supervisor.sock');
    expect(Buffer.byteLength(path)).toBeGreaterThan(SUN_PATH_MAX);
    const server = new SocketServer(path, (request) => Promise.resolve(request.op === 'status'
      ? { ok: true, status: { project: 'p', pid: process.pid, startedAt: 'now', reloads: 7, parts: {} } }
      : { ok: false, error: { code: 'USAGE', message: `not here: ${request.op}` } }));
    await server.listen();
    try {
      expect(existsSync(path)).toBe(true);
      expect(await socketRequest(path, { op: 'status' }, 5_000)).toMatchObject({ ok: true, status: { reloads: 7 } });
      expect(await socketRequest(path, { op: 'reload' }, 5_000)).toEqual({ ok: false, error: { code: 'USAGE', message: 'not here: reload' } });
    } finally {
      await server.close();
    }
    expect(existsSync(path)).toBe(false);
    await expect(socketRequest(path, { op: 'status' }, 5_000)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
