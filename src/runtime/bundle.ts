import { mkdir } from 'node:fs/promises';
import type { LaunchPlan } from '../kernel/launch-plan.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { ContainerRecord } from './container-record.js';
import { buildLaunchPlan } from './launch-plan-builder.js';
import { buildOciConfig, renderOciConfig } from './oci-config.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * Builds the launch plan of a container against the host as it is now and writes the same container
 * as an OCI config.json into its bundle, so `runc run --bundle <bundle>` can run it too.
 */
export async function prepareBundle(ctx: Pick<RuntimeContext, 'store' | 'hostFacts'>, record: ContainerRecord): Promise<LaunchPlan> {
  const paths = ctx.store.pathsOf(record.id);
  const plan = buildLaunchPlan(record.spec, paths, { id: record.id, user: record.user, host: await ctx.hostFacts() });
  await mkdir(paths.bundle, { recursive: true, mode: 0o700 });
  // No fsync: config.json is derived from the record and written again at every start, so a crash costs
  // nothing that is not rebuilt, and two fsyncs per create and per start were a large part of a cycle.
  await writeFileAtomic(paths.config, renderOciConfig(buildOciConfig(plan, record.spec)), 0o600, { sync: false });
  return plan;
}
