import { toInfo, type ContainerInfo } from './container-info.js';
import type { ContainerStatus } from './container-state.js';
import { observe } from './observe.js';
import type { RuntimeContext } from './runtime-context.js';

export interface ListFilter {
  /** Each entry must match: a string value exactly, `true` the label's presence. */
  readonly labels?: Readonly<Record<string, string | true>>;
  /** Only containers in one of these (observed) states. */
  readonly status?: readonly ContainerStatus[];
}

export function matchesLabels(labels: Readonly<Record<string, string>>, wanted: ListFilter['labels']): boolean {
  return Object.entries(wanted ?? {}).every(([key, value]) => (value === true ? key in labels : labels[key] === value));
}

/** Every container, oldest first, as observed now; nothing is written. */
export async function list(ctx: RuntimeContext, filter: ListFilter = {}): Promise<ContainerInfo[]> {
  const records = (await ctx.store.list()).filter((r) => matchesLabels(r.labels, filter.labels));
  const observed = await Promise.all(records.map((r) => observe(ctx, r)));
  return observed
    .filter((r) => filter.status === undefined || filter.status.includes(r.status))
    .map((r) => toInfo(r, ctx.store.pathsOf(r.id)));
}
