import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/compose/graph.js';
import { TscError } from '../../../src/errors/index.js';
import type { ExitStatus } from '../../../src/kernel/kernel.js';
import type { OrchestratorDeps } from '../../../src/orchestrator/orchestrator-deps.js';
import { waitForDependencies } from '../../../src/orchestrator/wait-dependencies.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import type { ListFilter } from '../../../src/runtime/list.js';
import { matchesLabels } from '../../../src/runtime/list.js';
import { project } from '../../support/compose.js';

const STACK = project(`
services:
  migrate: { image: busybox }
  seed: { image: busybox, scale: 2 }
  cache: { image: busybox }
  job: { image: busybox }
  app:
    image: busybox
    depends_on:
      migrate: { condition: service_completed_successfully }
      seed: { condition: service_completed_successfully }
      cache: { condition: service_started }
      job: { condition: service_completed_successfully, required: false }
  web:
    image: busybox
    depends_on:
      cache: { condition: service_started }
`);

function container(service: string, n: number): ContainerInfo {
  const name = `p-${service}-${n}`;
  const labels = { 'com.docker.compose.project': 'p', 'com.docker.compose.service': service, 'com.docker.compose.oneoff': 'False' };
  return {
    id: `${name}-id`, name, labels, image: { reference: 'busybox:latest', digest: 'sha256:aa' }, status: 'exited', createdAt: '', oomKilled: false, restartCount: 0, stdin: 'none', tty: false,
    spec: { name, labels, image: { reference: 'busybox:latest' }, rootfs: { path: '/r' }, process: { args: ['true'] } }, paths: {} as ContainerInfo['paths'],
  };
}

/** A runtime that lists the given containers, says each exited with its code, and counts what was asked. */
function fakeDeps(exits: Record<string, number>): { deps: OrchestratorDeps; lists: ListFilter[]; waited: string[] } {
  const all = [container('migrate', 1), container('seed', 1), container('seed', 2), container('cache', 1), container('job', 1), container('other', 1)];
  all.push({ ...container('seed', 3), labels: { ...container('seed', 3).labels, 'com.docker.compose.oneoff': 'True' } });
  const lists: ListFilter[] = [];
  const waited: string[] = [];
  const runtime = {
    list: async (filter: ListFilter = {}) => {
      lists.push(filter);
      return all.filter((c) => matchesLabels(c.labels, filter.labels));
    },
    wait: async (id: string): Promise<ExitStatus> => {
      waited.push(id);
      return { exitCode: exits[id] ?? 0 } as ExitStatus;
    },
  };
  return { deps: { runtime, progress: () => undefined } as unknown as OrchestratorDeps, lists, waited };
}

describe('waiting for depends_on conditions', () => {
  const graph = buildGraph(STACK);
  const selected = Object.keys(STACK.services);

  it('looks at the project\'s containers once for all the dependencies of a wait, and waits for each one of them', async () => {
    const { deps, lists, waited } = fakeDeps({});
    await waitForDependencies(STACK, graph, 'app', selected, deps);
    expect(lists).toHaveLength(1);
    expect(waited).toEqual(['p-migrate-1-id', 'p-seed-1-id', 'p-seed-2-id', 'p-job-1-id']);
  });

  it('looks at nothing when every condition is service_started', async () => {
    const { deps, lists, waited } = fakeDeps({});
    await waitForDependencies(STACK, graph, 'web', selected, deps);
    expect([lists, waited]).toEqual([[], []]);
  });

  it('fails on a required dependency that exited non-zero, naming it, and skips an optional one', async () => {
    const failed = fakeDeps({ 'p-seed-2-id': 3 });
    const error = await waitForDependencies(STACK, graph, 'app', selected, failed.deps).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(TscError);
    expect(error).toMatchObject({ code: 'CONTAINER_START', message: 'service "seed" didn\'t complete successfully: exit 3' });
    const optional = fakeDeps({ 'p-job-1-id': 1 });
    await waitForDependencies(STACK, graph, 'app', selected, optional.deps);
    expect(optional.lists).toHaveLength(1);
  });

  it('leaves out dependencies that are not selected', async () => {
    const { deps, waited } = fakeDeps({});
    await waitForDependencies(STACK, graph, 'app', ['app', 'seed', 'cache'], deps);
    expect(waited).toEqual(['p-seed-1-id', 'p-seed-2-id']);
  });
});
