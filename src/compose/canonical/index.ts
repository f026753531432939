import { isDict, type ComposePath, type Dict } from '../types.js';
import { canonicalBuild, canonicalBuildSsh, canonicalExtends, canonicalGpus, canonicalWatch } from './build.js';
import { canonicalBytes } from './bytes.js';
import { canonicalCommand } from './command.js';
import { canonicalDependsOn } from './depends-on.js';
import { canonicalDevice } from './devices.js';
import { canonicalDuration } from './duration.js';
import { canonicalEnvFile } from './env-file.js';
import { canonicalExpose } from './expose.js';
import { canonicalExtraHosts } from './extra-hosts.js';
import { canonicalFileReference } from './file-refs.js';
import { canonicalHealthcheckTest } from './healthcheck.js';
import { canonicalEnvironment, canonicalLabels, canonicalOptions } from './key-value.js';
import { canonicalNumber } from './numbers.js';
import { lookupPattern, reachesBelow, type PathPattern } from './path-pattern.js';
import { canonicalPorts } from './ports.js';
import { canonicalResource } from './resources.js';
import { canonicalNameMap, canonicalStringList } from './string-list.js';
import type { Transformer } from './transformer.js';
import { canonicalUlimit } from './ulimits.js';
import { canonicalServiceVolumes } from './volumes.js';

const S = 'services.*';

function each(patterns: string[], transformer: Transformer): Array<[PathPattern, Transformer]> {
  return patterns.map((pattern) => [pattern, transformer]);
}

/** Per-attribute expansions, by the path of the attribute. Adding one is one line. */
export const CANONICAL: ReadonlyMap<PathPattern, Transformer> = new Map([
  [`${S}.ports`, canonicalPorts],
  [`${S}.expose`, canonicalExpose],
  [`${S}.volumes`, canonicalServiceVolumes],
  [`${S}.depends_on`, canonicalDependsOn],
  [`${S}.env_file`, canonicalEnvFile],
  [`${S}.build`, canonicalBuild],
  [`${S}.build.ssh`, canonicalBuildSsh],
  [`${S}.extends`, canonicalExtends],
  [`${S}.gpus`, canonicalGpus],
  [`${S}.develop.watch`, canonicalWatch],
  [`${S}.healthcheck.test`, canonicalHealthcheckTest],
  [`${S}.extra_hosts`, canonicalExtraHosts],
  [`${S}.build.extra_hosts`, canonicalExtraHosts],
  ...each([`${S}.command`, `${S}.entrypoint`], canonicalCommand),
  ...each([`${S}.environment`, `${S}.build.args`], canonicalEnvironment),
  ...each(
    [`${S}.labels`, `${S}.annotations`, `${S}.sysctls`, `${S}.build.labels`, `${S}.build.additional_contexts`,
      `${S}.deploy.labels`, `${S}.volumes.*.volume.labels`, 'networks.*.labels', 'volumes.*.labels',
      'secrets.*.labels', 'configs.*.labels'],
    canonicalLabels,
  ),
  ...each(
    [`${S}.logging.options`, `${S}.networks.*.driver_opts`, 'networks.*.driver_opts', 'volumes.*.driver_opts'],
    canonicalOptions,
  ),
  ...each([`${S}.networks`, `${S}.models`], canonicalNameMap),
  ...each(
    [`${S}.dns`, `${S}.dns_search`, `${S}.tmpfs`, `${S}.label_file`, `${S}.cap_add`, `${S}.cap_drop`],
    canonicalStringList,
  ),
  ...each([`${S}.ulimits.*`, `${S}.build.ulimits.*`], canonicalUlimit),
  ...each([`${S}.devices.*`], canonicalDevice),
  ...each([`${S}.secrets.*`, `${S}.configs.*`, `${S}.build.secrets.*`], canonicalFileReference),
  ...each(
    [`${S}.healthcheck.interval`, `${S}.healthcheck.timeout`, `${S}.healthcheck.start_period`,
      `${S}.healthcheck.start_interval`, `${S}.stop_grace_period`, `${S}.deploy.restart_policy.delay`,
      `${S}.deploy.restart_policy.window`, `${S}.deploy.update_config.delay`, `${S}.deploy.update_config.monitor`,
      `${S}.deploy.rollback_config.delay`, `${S}.deploy.rollback_config.monitor`],
    canonicalDuration,
  ),
  ...each(
    [`${S}.mem_limit`, `${S}.mem_reservation`, `${S}.memswap_limit`, `${S}.shm_size`, `${S}.build.shm_size`,
      `${S}.deploy.resources.limits.memory`, `${S}.deploy.resources.reservations.memory`, `${S}.volumes.*.tmpfs.size`,
      `${S}.blkio_config.device_read_bps.*.rate`, `${S}.blkio_config.device_write_bps.*.rate`],
    canonicalBytes,
  ),
  ...each(
    [`${S}.cpus`, `${S}.cpu_shares`, `${S}.cpu_count`, `${S}.cpu_percent`, `${S}.cpu_period`, `${S}.cpu_quota`,
      `${S}.pids_limit`, `${S}.oom_score_adj`, `${S}.scale`, `${S}.deploy.replicas`, `${S}.healthcheck.retries`,
      `${S}.deploy.resources.limits.cpus`, `${S}.deploy.resources.reservations.cpus`, `${S}.deploy.resources.limits.pids`],
    canonicalNumber,
  ),
  ...each(['networks.*', 'volumes.*', 'secrets.*', 'configs.*'], canonicalResource),
]);

/**
 * Expands every short syntax of one compose file to its long form, before files are merged, so that
 * merging compares like with like. Relative paths are left as written (they are resolved once the
 * files are merged). The input is not modified. Malformed short syntax throws `COMPOSE_INVALID` with
 * the compose path of the entry.
 */
export function toCanonical(data: Dict, file: string): Dict {
  const out = walk(data, [], file);
  return isDict(out) ? out : data;
}

function walk(value: unknown, path: ComposePath, file: string): unknown {
  const transform = lookupPattern(CANONICAL, path);
  const expanded = transform === undefined ? value : transform(value, { path, file });
  // Nothing below this path has a canonical form: keep the subtree as it is (no stage mutates data).
  if (!reachesBelow(CANONICAL, path)) return expanded;
  if (Array.isArray(expanded)) return expanded.map((item, index) => walk(item, [...path, index], file));
  if (!isDict(expanded)) return expanded;
  const out: Dict = {};
  for (const [key, child] of Object.entries(expanded)) out[key] = walk(child, [...path, key], file);
  return out;
}
