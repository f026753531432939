import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TscError } from '../../errors/index.js';
import type { BridgeRequest, EndpointRequest, HostAddress, HostLink, HostRoute, NetKernel, NetnsSettings } from '../net.js';
import { mustRun, runTool } from './run-tool.js';

interface IpRoute { dst?: string; dev?: string }
interface IpAddr { ifname?: string; addr_info?: { family?: string; local?: string; prefixlen?: number }[] }
interface IpLink { ifname?: string; ifalias?: string; linkinfo?: { info_kind?: string } }

/** A token of an `ip -batch` line, quoted so paths and aliases with spaces survive. */
const q = (token: string): string => `"${token.replace(/(["\\])/g, '\\$1')}"`;

export interface LinuxNetOptions {
  readonly ip?: string;
  readonly unshare?: string;
  readonly nsenter?: string;
  readonly mount?: string;
  readonly umount?: string;
}

/**
 * {@link NetKernel} on Linux through iproute2 and util-linux. A namespace is made persistent the way
 * `ip netns add` does it: `unshare --net=<file>` bind-mounts it on a file, in a directory whose mount
 * is not shared (one is bind-mounted on itself and made private when its parent mount is shared).
 */
export class LinuxNet implements NetKernel {
  private readonly ip: string;
  private readonly unshare: string;
  private readonly nsenter: string;
  private readonly mount: string;
  private readonly umount: string;

  constructor(options: LinuxNetOptions = {}) {
    this.ip = options.ip ?? 'ip';
    this.unshare = options.unshare ?? 'unshare';
    this.nsenter = options.nsenter ?? 'nsenter';
    this.mount = options.mount ?? 'mount';
    this.umount = options.umount ?? 'umount';
  }

  async routes(): Promise<HostRoute[]> {
    const out = await mustRun('read the host routes', this.ip, ['-j', '-4', 'route', 'show', 'table', 'all']);
    return (JSON.parse(out || '[]') as IpRoute[]).filter((r) => typeof r.dst === 'string')
      .map((r) => ({ dst: r.dst as string, ...(r.dev === undefined ? {} : { dev: r.dev }) }));
  }

  async addresses(): Promise<HostAddress[]> {
    const out = await mustRun('read the host addresses', this.ip, ['-j', '-4', 'addr', 'show']);
    return (JSON.parse(out || '[]') as IpAddr[]).flatMap((link) => (link.addr_info ?? [])
      .filter((a) => a.family === 'inet' && typeof a.local === 'string')
      .map((a) => ({ ifname: link.ifname ?? '', cidr: `${a.local as string}/${a.prefixlen ?? 32}` })));
  }

  async links(): Promise<HostLink[]> {
    const out = await mustRun('read the host links', this.ip, ['-j', '-d', 'link', 'show']);
    return (JSON.parse(out || '[]') as IpLink[]).filter((l) => typeof l.ifname === 'string').map((l) => ({
      name: l.ifname as string,
      ...(l.linkinfo?.info_kind === undefined ? {} : { kind: l.linkinfo.info_kind }),
      ...(l.ifalias === undefined || l.ifalias === '' ? {} : { alias: l.ifalias }),
    }));
  }

  async createBridge(request: BridgeRequest): Promise<void> {
    const mtu = request.mtu === undefined ? '' : ` mtu ${request.mtu}`;
    // An address of its own: a bridge without one takes the lowest of its ports' and changes when
    // that container leaves, and the others then talk to a gateway address that is gone (as Docker, set once).
    const script = [
      `link add ${q(request.name)}${mtu} address ${bridgeMac(request.name)} type bridge`,
      `link set dev ${q(request.name)} alias ${q(request.alias)}`,
      `addr add ${request.address} dev ${q(request.name)}`,
      `link set dev ${q(request.name)} up`,
    ].join('\n');
    try {
      await mustRun(`create bridge ${request.name}`, this.ip, ['-batch', '-'], { input: `${script}\n` });
    } catch (err) {
      await this.deleteLinks([request.name]);
      throw err;
    }
  }

  async deleteLinks(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const run = await runTool(this.ip, ['-force', '-batch', '-'], { input: names.map((n) => `link del dev ${q(n)}\n`).join('') });
    const errors = run.stderr.split('\n').filter((l) => l.trim() !== '' && !/Cannot find device|does not exist|Command failed/.test(l));
    if (run.exitCode !== 0 && errors.length > 0) {
      throw new TscError('KERNEL', `delete links ${names.join(', ')}: ${errors.slice(-2).join('; ')}`, { hint: 'look at `ip -d link` for the cause' });
    }
  }

  async createNetns(path: string): Promise<void> {
    await this.privateDir(dirname(path));
    await (await open(path, 'wx', 0o444)).close();
    try {
      await mustRun(`create network namespace ${path}`, this.unshare, [`--net=${path}`, this.ip, 'link', 'set', 'lo', 'up']);
    } catch (err) {
      await this.deleteNetns(path);
      throw err;
    }
  }

  async deleteNetns(path: string): Promise<void> {
    if ((await mountPoints()).has(path)) await mustRun(`unmount network namespace ${path}`, this.umount, [path]);
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await this.releaseDir(dirname(path));
  }

  async addEndpoints(netns: string, endpoints: readonly EndpointRequest[], settings: NetnsSettings): Promise<void> {
    const host = endpoints.flatMap((e) => {
      const mtu = e.mtu === undefined ? '' : ` mtu ${e.mtu}`;
      return [
        `link add ${q(e.hostName)}${mtu} type veth peer name ${q(e.ifname)}${mtu} netns ${q(netns)}`,
        `link set dev ${q(e.hostName)} alias ${q(e.alias)}`,
        `link set dev ${q(e.hostName)} master ${q(e.bridge)}`,
        `link set dev ${q(e.hostName)} up`,
      ];
    });
    const inside = [
      ...endpoints.flatMap((e) => [
        ...(e.mac === undefined ? [] : [`link set dev ${q(e.ifname)} address ${e.mac}`]),
        `addr add ${e.address} dev ${q(e.ifname)}`,
        `link set dev ${q(e.ifname)} up`,
      ]),
      ...(settings.defaultGateway === undefined ? [] : [`route replace default via ${settings.defaultGateway}`]),
    ];
    if (inside.length === 0) return;
    try {
      if (host.length > 0) await mustRun(`add endpoints to ${netns}`, this.ip, ['-batch', '-'], { input: `${host.join('\n')}\n` });
      await mustRun(`configure the endpoints in ${netns}`, this.nsenter, [`--net=${netns}`, this.ip, '-batch', '-'], { input: `${inside.join('\n')}\n` });
    } catch (err) {
      await this.deleteLinks(endpoints.map((e) => e.hostName));
      throw err;
    }
  }

  /** `unshare --net=<file>` needs a parent mount that is not shared; make the directory its own private mount if so. */
  private async privateDir(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const mounts = await readMounts();
    if (mounts.some((m) => m.point === dir)) return;
    const parent = mounts.filter((m) => dir === m.point || dir.startsWith(m.point === '/' ? '/' : `${m.point}/`))
      .sort((a, b) => b.point.length - a.point.length)[0];
    if (parent?.shared !== true) return;
    await mustRun(`bind ${dir} on itself`, this.mount, ['--bind', dir, dir]);
    await mustRun(`make ${dir} private`, this.mount, ['--make-private', dir]);
  }

  /** Undoes {@link privateDir} once the directory holds no namespace; another process adding one meanwhile makes umount refuse. */
  private async releaseDir(dir: string): Promise<void> {
    if (!(await mountPoints()).has(dir)) return;
    if ((await readdir(dir).catch(() => ['?'])).length > 0) return;
    await runTool(this.umount, [dir]);
  }
}

interface MountEntry { point: string; shared: boolean }

async function readMounts(): Promise<MountEntry[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').filter((l) => l !== '').map((line) => {
    const fields = line.split(' ');
    const sep = fields.indexOf('-');
    const optional = fields.slice(6, sep < 0 ? undefined : sep);
    return { point: unescapeMount(fields[4] ?? ''), shared: optional.some((f) => f.startsWith('shared:')) };
  });
}

async function mountPoints(): Promise<Set<string>> {
  return new Set((await readMounts()).map((m) => m.point));
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** A locally administered unicast MAC for a bridge, derived from its name (so it is the same each time the network is made). */
export function bridgeMac(name: string): string {
  const bytes = createHash('sha256').update(`bridge ${name}`).digest().subarray(0, 6);
  bytes[0] = ((bytes[0] as number) & 0xfc) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
