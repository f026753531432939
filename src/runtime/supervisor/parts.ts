import { TscError } from '../../errors/index.js';
import type { StatePaths } from '../../state/paths.js';
import type { Clock } from '../../util/clock.js';
import type { Runtime } from '../runtime.js';
import type { ContainerLookup } from './container-view.js';
import { fsDirWatch } from '../../util/dir-watch.js';
import { notTheLog } from '../ticker.js';
import { HealthPart } from './health-part.js';
import type { SupervisorPart } from './part.js';
import { RestartPart, type RestartRecord } from './restart-part.js';
import { JsonRecord } from '../../state/json-record.js';
import { join } from 'node:path';
import { hostDnsPart } from './dns-part.js';
import { PortsPart } from './ports-part.js';
import type { SupervisorEventSink } from './supervisor-events.js';
import type { Timers } from './timers.js';

/** What the parts of a supervisor are built from. */
export interface SupervisorPartDeps {
  readonly runtime: Runtime;
  readonly paths: StatePaths;
  readonly project: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly emit: SupervisorEventSink;
  readonly log: (line: string) => void;
  /** The `tsc-proxy` program published TCP ports run. */
  readonly proxyPath: string;
}

/** The container as the parts see it; undefined once it is removed. */
export function runtimeLookup(runtime: Runtime): ContainerLookup {
  return async (id) => {
    try {
      const info = await runtime.inspect(id);
      return {
        id: info.id, status: info.status, restartCount: info.restartCount,
        ...(info.startedAt === undefined ? {} : { startedAt: info.startedAt }),
        ...(info.finishedAt === undefined ? {} : { finishedAt: info.finishedAt }),
        ...(info.exit === undefined ? {} : { exit: info.exit }),
      };
    } catch (err) {
      if (err instanceof TscError && err.code === 'CONTAINER_NOT_FOUND') return undefined;
      throw err;
    }
  };
}

/** Every part the supervisor hosts, in one place. */
export function supervisorParts(deps: SupervisorPartDeps): SupervisorPart[] {
  const seen = runtimeLookup(deps.runtime);
  // The ports part watches the containers it serves itself: one-offs are neither checked nor restarted.
  const ports = new PortsPart({
    log: deps.log, proxyPath: deps.proxyPath,
    containers: async () => (await deps.runtime.list()).map((c) => ({ id: c.id, name: c.name, status: c.status })),
    watch: (id, changed) => fsDirWatch(deps.paths.container(id), changed, notTheLog),
    lookup: seen,
  });
  // What the health and restart parts see of a container also tells the ports part when it stops or runs again.
  const lookup: ContainerLookup = async (id) => {
    const view = await seen(id);
    void ports.containerSeen(id, view);
    return view;
  };
  const containerDir = (id: string): string => deps.paths.container(id);
  const health = new HealthPart({ exec: (id, options) => deps.runtime.exec(id, options), lookup, containerDir, clock: deps.clock, timers: deps.timers, emit: deps.emit, log: deps.log });
  const restart = new RestartPart({
    lookup, containerDir, clock: deps.clock, timers: deps.timers, emit: deps.emit, log: deps.log, watchDir: (dir, changed) => fsDirWatch(dir, changed, notTheLog),
    stoppedByUser: (id) => deps.runtime.wasStoppedByUser(id),
    memory: {
      read: (id) => restartRecord(containerDir(id)).read(),
      write: (id, record) => restartRecord(containerDir(id)).write(record),
    },
    start: async (id) => (await deps.runtime.start(id, { countRestart: true })).startedAt,
    onRestarted: (id) => void health.containerStarted(id),
  });
  return [health, restart, hostDnsPart({ log: deps.log, paths: deps.paths, project: deps.project }), ports];
}

/** `<container dir>/restart.json`: the restart part's memory of the container. */
function restartRecord(dir: string): JsonRecord<RestartRecord> {
  return new JsonRecord(join(dir, 'restart.json'), (value) => {
    const v = value as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || typeof v.handledRun !== 'string' || !Number.isSafeInteger(v.attempts) || !Number.isSafeInteger(v.backoffMs)) {
      throw new Error('not a restart record');
    }
    return value as RestartRecord;
  });
}
