// Benchmark: TCP through tscompose networking, beside baselines measured the same way.
//  - 256 MB between two containers over a project bridge, beside two host processes over loopback;
//  - 256 MB from the host through a published port (the tsc-proxy userland proxy), beside the same sent
//    straight to the container's address (target: ≥ 0.5× the direct throughput);
//  - the connect latency the proxy adds (connect, one line back, close; median of 200).
// Senders and receivers are the same small node programs everywhere (node is bind-mounted into the
// containers), so only the path differs.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { median, printTable } from './measure.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin', 'tscompose');
const MB = 256;
const CONNECTS = 200;

const SINK = "const n=require('net');const v=n.createServer({allowHalfOpen:true},s=>{let b=0;s.on('data',d=>b+=d.length);s.on('end',()=>s.end(String(b)))});" +
  "v.listen(+process.argv[1],process.argv[2]||'0.0.0.0',()=>console.log(v.address().port))";
const SEND = "const n=require('net');const [h,p,mb]=process.argv.slice(1);const buf=Buffer.alloc(1<<20,120);const t=process.hrtime.bigint();" +
  "const s=n.connect(+p,h,()=>{let i=0;const w=()=>{while(i<+mb){i++;if(!s.write(buf))return void s.once('drain',w)}s.end()};w()});" +
  "let r='';s.on('data',d=>r+=d);s.on('close',()=>console.log(JSON.stringify({ms:Number(process.hrtime.bigint()-t)/1e6,bytes:+r})))";

interface Sent { ms: number; bytes: number }

function compose(node: string): string {
  const mounts = `    volumes:\n      - ${node}:/usr/bin/node:ro\n      - /usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro\n      - /usr/lib64:/lib64:ro\n`;
  return `name: benchnet
services:
  sink:
    image: tscompose-test/busybox:latest
    command: ["/usr/bin/node", "-e", ${JSON.stringify(SINK)}, "7000"]
    ports: ["127.0.0.1::7000"]
${mounts}  probe:
    image: tscompose-test/probe:latest
    command: ["probe", "listen", "80"]
    ports: ["127.0.0.1::80"]
  client:
    image: tscompose-test/busybox:latest
    command: ["sleep", "3600"]
    stop_signal: SIGKILL
${mounts}`;
}

function parseSent(stdout: string, what: string): Sent {
  const sent = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Sent;
  if (sent.bytes !== MB * 1024 * 1024) throw new Error(`${what}: the receiver counted ${sent.bytes} bytes`);
  return sent;
}

async function sendFromHost(host: string, port: number, what: string): Promise<Sent> {
  const { stdout } = await run(process.execPath, ['-e', SEND, host, String(port), String(MB)], { timeout: 120_000 });
  return parseSent(stdout, what);
}

async function connectLatency(host: string, port: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < CONNECTS; i++) {
    const start = performance.now();
    const socket = connect({ host, port });
    socket.resume();
    await once(socket, 'close');
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function benchNetwork(): Promise<void> {
  const images = join(tmpdir(), 'tscompose-test-images');
  if (process.getuid?.() !== 0 || !existsSync(join(ROOT, 'dist', 'cli', 'main.js')) || !existsSync('/usr/lib/x86_64-linux-gnu')) {
    console.log('\nnetwork: skipped (needs root, the build and a Debian-style x86_64 host)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tsc-bench-net-'));
  const env = { ...process.env, TSCOMPOSE_ROOT: join(dir, 'data'), TSCOMPOSE_RUNTIME_ROOT: join(dir, 'run'), TSCOMPOSE_DNS_UPSTREAM: 'none' };
  const cli = async (...args: string[]): Promise<string> => (await run(process.execPath, [CLI, ...args], { cwd: dir, env, timeout: 180_000 })).stdout;
  let hostSink: ChildProcess | undefined;
  try {
    const { buildTestImages } = await import('../../src/image/test-images/index.js');
    for (const archive of Object.values(await buildTestImages(images))) await cli('image', 'load', '-q', '-i', archive);
    writeFileSync(join(dir, 'compose.yaml'), compose(process.execPath));
    await cli('up', '-d');
    const config = JSON.parse(readFileSync(join(dir, 'run', 'projects', 'benchnet', 'supervisor.json'), 'utf8')) as { sections: { ports: { bindings: { service: string; hostPort: number; containerIp: string; containerPort: number }[] } } };
    const binding = (service: string): { hostPort: number; containerIp: string; containerPort: number } => {
      const found = config.sections.ports.bindings.find((b) => b.service === service);
      if (found === undefined) throw new Error(`no published port for ${service}`);
      return found;
    };
    const sink = binding('sink');
    const probe = binding('probe');

    // Warm up both paths once, then measure.
    await cli('exec', '-T', 'client', '/usr/bin/node', '-e', SEND, 'sink', '7000', String(MB));
    const bridge = parseSent(await cli('exec', '-T', 'client', '/usr/bin/node', '-e', SEND, 'sink', '7000', String(MB)), 'bridge');

    hostSink = spawn(process.execPath, ['-e', SINK, '0', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    // The sink listens on a port the kernel picks and prints it.
    const hostPort = await new Promise<number>((resolvePort, reject) => {
      hostSink?.on('error', reject);
      hostSink?.stdout?.once('data', (chunk: Buffer) => resolvePort(Number(chunk.toString().trim())));
    });
    await sendFromHost('127.0.0.1', hostPort, 'loopback');
    const loopback = await sendFromHost('127.0.0.1', hostPort, 'loopback');

    await sendFromHost('127.0.0.1', sink.hostPort, 'proxy');
    // The TCP proxies are tsc-proxy processes started by the project's supervisor: their CPU time and
    // the supervisor's over one transfer is what the proxy costs.
    const supervisor = (JSON.parse(readFileSync(join(dir, 'run', 'projects', 'benchnet', 'supervisor.pid'), 'utf8')) as { pid: number }).pid;
    const proxyPids = [supervisor, ...childrenNamed(supervisor, 'tsc-proxy')];
    const cpuBefore = proxyPids.reduce((sum, pid) => sum + cpuMs(pid), 0);
    const proxied = await sendFromHost('127.0.0.1', sink.hostPort, 'proxy');
    const proxyCpu = proxyPids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
    const direct = await sendFromHost(sink.containerIp, sink.containerPort, 'direct');

    const viaProxy = await connectLatency('127.0.0.1', probe.hostPort);
    const straight = await connectLatency(probe.containerIp, probe.containerPort);

    printTable('network: TCP', [
      [`${MB} MB container → container over a bridge`, bridge.ms, loopback.ms, 'host process → host process over loopback'],
      [`${MB} MB host → published port (userland proxy)`, proxied.ms, direct.ms, "host → the container's address"],
      [`connect + one line + close via the proxy (median of ${CONNECTS})`, viaProxy, straight, "the same to the container's address"],
    ]);
    const rate = (s: Sent): string => (MB / (s.ms / 1000)).toFixed(0);
    console.log(`  throughput: bridge ${rate(bridge)} MB/s vs loopback ${rate(loopback)} MB/s (${(loopback.ms / bridge.ms).toFixed(2)}×); proxy ${rate(proxied)} MB/s vs direct ${rate(direct)} MB/s (${(direct.ms / proxied.ms).toFixed(2)}×)`);
    console.log(`  connect latency added by the proxy: ${(viaProxy - straight).toFixed(3)} ms`);
    console.log(`  proxy CPU time for ${MB} MB: ${proxyCpu.toFixed(0)} ms (${(MB / (proxyCpu / 1000)).toFixed(0)} MB per CPU second; the ratio above also counts the sender and receiver sharing the cores)`);
    console.log(`  target: proxy throughput ≥ 0.5× direct — ${direct.ms / proxied.ms >= 0.5 ? 'met' : 'NOT met'}`);
  } finally {
    if (hostSink?.pid !== undefined && hostSink.exitCode === null) hostSink.kill('SIGKILL');
    await run(process.execPath, [CLI, 'down'], { cwd: dir, env, timeout: 180_000 }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The pids of the children of `parent` whose command is `comm`. */
function childrenNamed(parent: number, comm: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === comm && Number(fields[1]) === parent) found.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

/** User plus system CPU time of a process so far, in milliseconds (from /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
