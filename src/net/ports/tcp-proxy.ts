import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { TscError } from '../../errors/index.js';
import { bindError } from './socket-port-probe.js';

export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

export interface TcpProxyOptions {
  hostIp: string;
  /** 0 asks the kernel for a port (tests). */
  hostPort: number;
  target: ProxyTarget;
  /** The `tsc-proxy` program (build/native/tsc-proxy). */
  proxyPath: string;
  log?: (line: string) => void;
  /** How long `start()` waits for the program to listen, and `close()` for it to exit; default 10 s. */
  timeoutMs?: number;
  /** Called when the process ends without `close()` having asked it to. */
  onExit?: () => void;
}

/** The first line `tsc-proxy` prints (src/native/PROTOCOL.md). */
type ReadyLine = { port: number } | { error: { step: string; errno: number; errnoName: string; message: string } };

/**
 * A published TCP port, served by a `tsc-proxy` process of its own: it accepts on the host address
 * and moves each connection's bytes to the container's address and back with splice(2), passing a
 * half-close on. The target can change while it runs (a recreated container has a new address):
 * new connections go to the new one, open connections keep theirs. The process ends when this
 * object closes it, or when its parent dies.
 */
export class TcpProxy {
  private current: ProxyTarget;
  private child: ChildProcess | undefined;
  private exit: Promise<unknown> | undefined;
  private bound: number | undefined;
  private closing = false;

  constructor(private readonly options: TcpProxyOptions) {
    this.current = options.target;
  }

  get port(): number {
    return this.bound ?? this.options.hostPort;
  }

  /** The pid of the proxy process while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** Whether the proxy process is up (false before `start()`, after `close()`, or once it died). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get target(): ProxyTarget {
    return this.current;
  }

  set target(target: ProxyTarget) {
    this.current = target;
    if (this.running) this.child?.stdin?.write(`target ${target.host} ${target.port}\n`);
  }

  async start(): Promise<void> {
    const { hostIp, hostPort, proxyPath } = this.options;
    const child = spawn(proxyPath, ['tcp', hostIp, String(hostPort), this.current.host, String(this.current.port)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { TSC_PROXY_PARENT: String(process.pid) },
    });
    // Writes after the process died fail with EPIPE; its exit is reported below.
    child.stdin.on('error', () => undefined);
    const exit = once(child, 'exit').catch(() => undefined);
    const lines = createInterface({ input: child.stdout });
    let ready: ReadyLine;
    try {
      ready = await this.readyLine(child, lines);
    } catch (err) {
      child.kill('SIGKILL');
      await exit;
      throw err;
    } finally {
      // Nothing more comes on stdout; keep it flowing so it closes when the process ends.
      lines.close();
      child.stdout.resume();
    }
    if ('error' in ready) {
      await exit;
      throw this.startError(ready.error);
    }
    this.bound = ready.port;
    this.child = child;
    this.exit = exit;
    const where = `port ${hostIp}:${this.port}/tcp`;
    createInterface({ input: child.stderr }).on('line', (line) => this.options.log?.(`${where}: ${line}`));
    child.on('exit', (code, signal) => {
      if (this.closing) return;
      this.options.log?.(`${where}: the proxy process ended (${signal ?? `status ${code}`})`);
      this.options.onExit?.();
    });
  }

  /** The first line on stdout, or a TscError if the process fails, ends or stays silent first. */
  private readyLine(child: ChildProcess, lines: ReturnType<typeof createInterface>): Promise<ReadyLine> {
    const { hostIp, hostPort, proxyPath } = this.options;
    const subject = `publish ${hostIp}:${hostPort}/tcp`;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise<ReadyLine>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TscError('TIMEOUT', `${subject}: ${proxyPath} did not listen within ${timeoutMs} ms`, {
        hint: 'the machine may be overloaded; try again',
      })), timeoutMs);
      const settle = (): void => clearTimeout(timer);
      child.once('error', (err: NodeJS.ErrnoException) => {
        settle();
        reject(err.code === 'ENOENT' || err.code === 'EACCES'
          ? new TscError('NATIVE_MISSING', `${subject}: the port proxy ${proxyPath} is missing`, { hint: 'run `npm run build` in the tscompose directory', cause: err })
          : new TscError('KERNEL', `${subject}: spawn ${proxyPath}: ${err.code ?? err.message}`, { hint: 'check that the port proxy can run', cause: err }));
      });
      // `close` comes after stdout is read to its end, so a failure line is never missed.
      child.once('close', (code, signal) => {
        settle();
        reject(new TscError('KERNEL', `${subject}: the port proxy ended before listening (${signal ?? `status ${code}`})`, { hint: 'see the supervisor log' }));
      });
      lines.once('line', (line) => {
        settle();
        try {
          resolve(JSON.parse(line) as ReadyLine);
        } catch (err) {
          reject(new TscError('INTERNAL', `${subject}: the port proxy said \`${line}\``, { hint: 'internal error, please report', cause: err }));
        }
      });
    });
  }

  private startError(error: { step: string; errno: number; errnoName: string; message: string }): TscError {
    const { hostIp, hostPort } = this.options;
    const cause = Object.assign(new Error(error.message), { code: error.errnoName, errno: error.errno, syscall: error.step });
    if (error.step === 'bind') return bindError(hostIp, hostPort, 'tcp', cause);
    return new TscError('KERNEL', `publish ${hostIp}:${hostPort}/tcp: ${error.step}: ${error.errnoName}`, { hint: error.message, cause });
  }

  /** Ends the process (SIGTERM, then SIGKILL after the timeout) and waits for it to exit. */
  async close(): Promise<void> {
    const child = this.child;
    const exit = this.exit;
    this.child = undefined;
    this.exit = undefined;
    if (child === undefined || exit === undefined) return;
    this.closing = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.timeoutMs ?? 10_000);
      await exit;
      clearTimeout(timer);
    }
    child.stdin?.destroy();
  }
}
