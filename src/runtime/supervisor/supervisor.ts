import { mkdir, unlink } from 'node:fs/promises';
import { TscError } from '../../errors/index.js';
import { JsonRecord } from '../../state/json-record.js';
import { FileLock } from '../../state/lock.js';
import type { ProcessIdentity } from '../../state/process-identity.js';
import type { Clock } from '../../util/clock.js';
import { errorText } from './error-text.js';
import type { SupervisorPart } from './part.js';
import type { SupervisorRequest, SupervisorResponse, SupervisorStatus } from './protocol.js';
import { SocketServer } from './server.js';
import { readSupervisorConfig } from './supervisor-config.js';
import type { SupervisorPaths } from './supervisor-paths.js';

/** What `supervisor.pid` holds: the running supervisor, named for good by its start time. */
export interface SupervisorPidRecord extends ProcessIdentity {
  readonly project: string;
  readonly startedAt: string;
}

export function pidRecord(path: string): JsonRecord<SupervisorPidRecord> {
  return new JsonRecord(path, (value) => {
    const v = value as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || !Number.isSafeInteger(v.pid) || !Number.isSafeInteger(v.startTime) || typeof v.project !== 'string') {
      throw new Error('not a supervisor pid record');
    }
    return value as SupervisorPidRecord;
  });
}

export interface SupervisorOptions {
  readonly paths: SupervisorPaths;
  readonly project: string;
  readonly parts: readonly SupervisorPart[];
  /** This process. */
  readonly identity: ProcessIdentity;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** Extra status of parts that report some, by section. */
  readonly partStatus?: () => Record<string, unknown>;
}

/**
 * One project's supervisor: holds the project's supervisor lock (so only one runs), records its pid,
 * serves the socket and keeps its parts in line with supervisor.json. {@link run} resolves once it
 * was asked to stop and everything it ran is closed.
 */
export class Supervisor {
  private lock: FileLock | undefined;
  private server: SocketServer | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private reloads = 0;
  private readonly startedAt: string;
  private stopping: Promise<void> | undefined;
  private stopped!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.stopped = resolve));

  constructor(private readonly options: SupervisorOptions) {
    this.startedAt = new Date(options.clock.now()).toISOString();
  }

  async run(): Promise<void> {
    const { paths, project, identity } = this.options;
    await mkdir(paths.dir, { recursive: true });
    const lock = new FileLock(paths.lock, identity);
    await lock.acquire({ timeoutMs: 0 });
    this.lock = lock;
    await pidRecord(paths.pid).write({ pid: identity.pid, startTime: identity.startTime, project, startedAt: this.startedAt });
    this.server = new SocketServer(paths.socket, (request) => this.handle(request));
    await this.server.listen();
    this.options.log(`supervisor of project "${project}" running as pid ${identity.pid}`);
    await this.enqueue(() => this.reload()).catch((err: unknown) => this.options.log(`first load: ${errorText(err)}`));
    await this.done;
  }

  /** Stops serving, closes every part and lets go of the lock; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.server?.close();
      await this.chain.catch(() => undefined);
      for (const part of this.options.parts) await part.close().catch((err: unknown) => this.options.log(`close ${part.section}: ${errorText(err)}`));
      await unlink(this.options.paths.pid).catch(() => undefined);
      await this.lock?.release();
      this.options.log('supervisor stopped');
      this.stopped();
    })();
    return this.stopping;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.catch(() => undefined).then(work);
    this.chain = next;
    return next;
  }

  private async reload(): Promise<void> {
    const config = await readSupervisorConfig(this.options.paths.config, this.options.project);
    const failures: string[] = [];
    await Promise.all(this.options.parts.map(async (part) => {
      try {
        await part.reconcile(config.sections[part.section]);
      } catch (err) {
        failures.push(`${part.section}: ${errorText(err)}`);
      }
    }));
    this.reloads++;
    if (failures.length > 0) {
      failures.forEach((f) => this.options.log(`reload: ${f}`));
      throw new TscError('SUPERVISOR', `supervisor of project "${this.options.project}": reload failed: ${failures.join('; ')}`, {
        hint: `see ${this.options.paths.log}`,
      });
    }
  }

  private async handle(request: SupervisorRequest): Promise<SupervisorResponse> {
    try {
      switch (request.op) {
        case 'reload':
          await this.enqueue(() => this.reload());
          return { ok: true };
        case 'status':
          return { ok: true, status: this.status() };
        case 'stop':
          setImmediate(() => void this.stop());
          return { ok: true };
      }
    } catch (err) {
      return { ok: false, error: { code: err instanceof TscError ? err.code : 'INTERNAL', message: errorText(err) } };
    }
  }

  private status(): SupervisorStatus {
    return {
      project: this.options.project,
      pid: this.options.identity.pid,
      startedAt: this.startedAt,
      reloads: this.reloads,
      parts: this.options.partStatus?.() ?? Object.fromEntries(this.options.parts.map((p) => [p.section, {}])),
    };
  }
}
