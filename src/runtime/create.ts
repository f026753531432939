import { TscError } from '../errors/index.js';
import { prepareBundle } from './bundle.js';
import { isContainerId } from './container-id.js';
import { toInfo, type ContainerInfo } from './container-info.js';
import type { ContainerRecord } from './container-record.js';
import { RECORD_VERSION } from './container-record.js';
import type { ContainerSpec } from './container-spec.js';
import { LayeredRootView } from './root-view.js';
import { nowIso, type RuntimeContext } from './runtime-context.js';
import { specError } from './spec-error.js';
import { resolveUser, type ResolvedUser } from './user.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Errors of the spec gain the container's name in front; others pass unchanged. */
function inCreate(name: string, err: unknown): unknown {
  return err instanceof TscError && err.code === 'CONTAINER_START' ? err.wrap(`create \`${name}\``) : err;
}

/**
 * Creates a container: checks its name is free, resolves its user from the image, builds its plan
 * (which checks capabilities, limits and mounts) and writes its record and OCI bundle. Nothing runs yet.
 * The record keeps the cgroup parent of this runtime, so whoever acts on the container later finds its cgroup.
 */
export async function create(ctx: RuntimeContext, spec: ContainerSpec): Promise<ContainerInfo> {
  if (!NAME.test(spec.name)) {
    throw inCreate(spec.name, specError(`invalid container name "${spec.name}"`, 'a name is made of [a-zA-Z0-9_.-] and starts with a letter or digit'));
  }
  const id = ctx.ids();
  if (!isContainerId(id)) throw new TscError('INTERNAL', `the id generator gave "${id}", not 64 hex digits`);
  let user: ResolvedUser;
  try {
    user = await resolveUser(spec.process.user, spec.process.additionalGroups, new LayeredRootView(spec.rootfs));
  } catch (err) {
    throw inCreate(spec.name, err);
  }
  const record: ContainerRecord = {
    version: RECORD_VERSION, id, name: spec.name, labels: spec.labels, spec, user,
    status: 'created', createdAt: nowIso(ctx), restartCount: 0,
    ...(ctx.cgroups.parent === undefined ? {} : { cgroupParent: ctx.cgroups.parent }),
  };
  const paths = ctx.store.pathsOf(id);
  return ctx.withLock('names', async () => {
    const taken = (await ctx.store.list()).find((r) => r.name === spec.name);
    if (taken !== undefined) {
      throw new TscError('CONTAINER_BAD_STATE', `container name "${spec.name}" is already in use`, {
        hint: `remove the container ${taken.id.slice(0, 12)} that has it, or choose another name`,
      });
    }
    try {
      await prepareBundle(ctx, record);
      await ctx.store.write(record);
    } catch (err) {
      await ctx.store.delete(id);
      throw inCreate(spec.name, err);
    }
    return toInfo(record, paths);
  });
}
