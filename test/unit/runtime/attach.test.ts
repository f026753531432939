import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { dataFrame, endFrame, resizeFrame } from '../../../src/runtime/attach-frames.js';
import { attachSocketOf } from '../../../src/runtime/attach-socket.js';
import { containerPaths } from '../../../src/runtime/container-paths.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import { buildLaunchPlan, type PlanContext } from '../../../src/runtime/launch-plan-builder.js';
import { connectAttachSocket, SocketAttachment } from '../../../src/runtime/socket-attachment.js';
import { StatePaths } from '../../../src/state/paths.js';
import { HOST, RuntimeFixture } from './runtime-fixture.js';

const ID = `abcdef012345${'6'.repeat(52)}`;
const PATHS = containerPaths(new StatePaths({ dataRoot: '/data', runtimeRoot: '/run/t' }), ID);
const CONTEXT: PlanContext = { id: ID, user: { uid: 0, gid: 0, additionalGids: [], home: '/root' }, host: HOST };
const spec = (overrides: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name: 'proj-app-1', labels: {}, image: { reference: 'app' }, rootfs: { path: '/data/rootfs' }, process: { args: ['sh'] }, ...overrides,
});

describe('attach frames', () => {
  it('are a type byte, a big-endian length and the payload', () => {
    expect([...dataFrame(Buffer.from('hi\n'))]).toEqual([0x64, 0, 0, 0, 3, 0x68, 0x69, 0x0a]);
    expect([...endFrame()]).toEqual([0x65, 0, 0, 0, 0]);
    expect([...resizeFrame({ rows: 40, columns: 300 })]).toEqual([0x77, 0, 0, 0, 4, 0, 40, 1, 44]);
    expect(dataFrame(new Uint8Array(70_000)).readUInt32BE(1)).toBe(70_000);
  });

  it('refuse a window size out of range', () => {
    for (const size of [{ rows: 0, columns: 80 }, { rows: 24, columns: 65_536 }, { rows: 2.5, columns: 80 }]) {
      expect(() => resizeFrame(size)).toThrow(TscError);
    }
  });
});

describe('launch plan: stdin and terminal', () => {
  it('asks for nothing without them', () => {
    const plan = buildLaunchPlan(spec({ stdin: 'none', tty: false }), PATHS, CONTEXT);
    expect([plan.stdin, plan.terminal, plan.attachSocket]).toEqual([undefined, undefined, undefined]);
  });

  it('gives stdin, a terminal or both an attach socket in the container directory', () => {
    const socket = join(PATHS.dir, 'attach.sock');
    expect(attachSocketOf(PATHS)).toBe(socket);
    expect(buildLaunchPlan(spec({ stdin: 'once' }), PATHS, CONTEXT)).toMatchObject({ stdin: 'once', attachSocket: socket });
    const tty = buildLaunchPlan(spec({ tty: true }), PATHS, CONTEXT);
    expect([tty.stdin, tty.terminal, tty.attachSocket]).toEqual([undefined, {}, socket]);
    expect(buildLaunchPlan(spec({ stdin: 'open', tty: true }), PATHS, CONTEXT)).toMatchObject({ stdin: 'open', terminal: {}, attachSocket: socket });
  });
});

/** A stand-in for the monitor's end: collects what each client sent. */
async function listen(path: string): Promise<{ server: Server; received: Promise<Buffer> }> {
  const server = createServer();
  const received = new Promise<Buffer>((resolve) => {
    server.once('connection', (s: Socket) => {
      const chunks: Buffer[] = [];
      s.on('data', (b: Buffer) => chunks.push(b));
      s.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { server, received };
}

describe('SocketAttachment', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-attach-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sends data, window sizes and the end of input as frames, in order, through a path longer than sun_path', async () => {
    const deep = join(dir, 'd'.repeat(60), 'e'.repeat(60));
    await mkdir(deep, { recursive: true });
    const path = join(deep, 'attach.sock');
    expect(Buffer.byteLength(path)).toBeGreaterThan(108);
    const shortPath = join(dir, 's.sock');
    const { server, received } = await listen(shortPath);
    // The long name is a symlink to the listening socket: connecting must go through its directory's descriptor.
    await symlink(shortPath, path);
    const attachment = new SocketAttachment('app', await connectAttachSocket(path));
    await attachment.write('ab');
    await attachment.write(new Uint8Array([0xff]));
    await attachment.write('');
    await attachment.resize({ rows: 24, columns: 80 });
    await attachment.end();
    await attachment.close();
    await attachment.close();
    expect(await received).toEqual(Buffer.concat([dataFrame(Buffer.from('ab')), dataFrame(Buffer.from([0xff])), resizeFrame({ rows: 24, columns: 80 }), endFrame()]));
    await expect(attachment.write('late')).rejects.toThrow(TscError);
    server.close();
  });
});

describe('Runtime.attach on the fake kernel', () => {
  let f: RuntimeFixture;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  const create = (name: string, extra: Partial<ContainerSpec>): ReturnType<RuntimeFixture['runtime']['create']> =>
    f.runtime.create({ name, labels: {}, image: { reference: 'x' }, rootfs: { path: f.rootfs }, process: { args: ['probe', 'sleep', '30'] }, ...extra });

  it('shows stdin and tty on the container, and reads records without them as none and false', async () => {
    const info = await create('with', { stdin: 'once', tty: true });
    expect([info.stdin, info.tty]).toEqual(['once', true]);
    const plain = await create('without', {});
    expect([plain.stdin, plain.tty]).toEqual(['none', false]);
    expect(f.kernel.launched).toEqual([]);
  });

  it('refuses, with a stable code and a hint, a container not running, without stdin, or whose monitor does not answer', async () => {
    await create('created', { stdin: 'open' });
    await create('plain', {});
    await create('silent', { stdin: 'open' });
    await f.runtime.start('plain');
    await f.runtime.start('silent'); // the fake kernel runs no monitor: nobody listens on the socket
    for (const name of ['created', 'plain', 'silent']) {
      const err = await f.runtime.attach(name).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TscError);
      expect([(err as TscError).code, typeof (err as TscError).hint]).toEqual(['CONTAINER_BAD_STATE', 'string']);
    }
    expect(f.kernel.launched.map((p) => p.attachSocket === undefined)).toEqual([true, false]);
  });
});
