import { TscError } from '../errors/index.js';
import type { SourceLocation } from '../errors/index.js';
import { lookupPattern, type PathPattern } from './canonical/path-pattern.js';
import { defineKey } from './define-key.js';
import { formatPath, isDict, type ComposePath, type Dict, type PositionIndex, type WarningSink } from './types.js';

/**
 * The typed-values stage, run right after interpolation: a string at an attribute that holds a
 * boolean or a number (`privileged: ${PRIV}`, `scale: "${N}"`) becomes that boolean or number, as
 * Compose casts them. A string that is not one is `COMPOSE_INTERPOLATION` at its path. Only
 * strings are touched. The canonical stage also turns numeric strings into numbers, leniently; here
 * a value that cannot be cast is an error, as in Compose.
 */
export type CastKind = 'boolean' | 'integer' | 'number' | 'integer-or-text';

export interface CastOptions {
  /** The file, for locations. */
  file?: string;
  positions?: PositionIndex;
  onWarning?: WarningSink;
}

const S = 'services.*';

function each(patterns: PathPattern[], kind: CastKind): Array<[PathPattern, CastKind]> {
  return patterns.map((pattern) => [pattern, kind]);
}

/** The attributes cast after interpolation, by path. */
export const TYPED_VALUES: ReadonlyMap<PathPattern, CastKind> = new Map([
  ...each(
    [`${S}.init`, `${S}.privileged`, `${S}.read_only`, `${S}.stdin_open`, `${S}.tty`, `${S}.oom_kill_disable`,
      `${S}.healthcheck.disable`, `${S}.volumes.*.read_only`, `${S}.volumes.*.volume.nocopy`,
      'networks.*.external', 'networks.*.internal', 'networks.*.attachable', 'networks.*.enable_ipv4',
      'networks.*.enable_ipv6', 'volumes.*.external', 'secrets.*.external', 'configs.*.external'],
    'boolean',
  ),
  ...each(
    [`${S}.scale`, `${S}.cpu_count`, `${S}.cpu_period`, `${S}.cpu_quota`, `${S}.cpu_shares`, `${S}.oom_score_adj`,
      `${S}.pids_limit`, `${S}.mem_swappiness`, `${S}.healthcheck.retries`, `${S}.deploy.replicas`,
      `${S}.deploy.update_config.parallelism`, `${S}.deploy.rollback_config.parallelism`,
      `${S}.deploy.restart_policy.max_attempts`, `${S}.deploy.placement.max_replicas_per_node`],
    'integer',
  ),
  ...each(
    [`${S}.cpus`, `${S}.cpu_percent`, `${S}.deploy.update_config.max_failure_ratio`,
      `${S}.deploy.rollback_config.max_failure_ratio`],
    'number',
  ),
  // Microseconds, or a duration that the canonical stage reads.
  ...each([`${S}.cpu_rt_period`, `${S}.cpu_rt_runtime`], 'integer-or-text'),
]);

const TRUE = new Set(['true']);
const FALSE = new Set(['false']);
// YAML 1.1 spellings Compose still takes, with a warning.
const OLD_TRUE = new Set(['y', 'yes', 'on']);
const OLD_FALSE = new Set(['n', 'no', 'off']);
const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function castTypedValues(data: Dict, options: CastOptions = {}): Dict {
  return walk(data, [], options) as Dict;
}

function walk(value: unknown, path: ComposePath, options: CastOptions): unknown {
  if (typeof value === 'string') {
    const kind = lookupPattern(TYPED_VALUES, path);
    return kind === undefined ? value : cast(value, kind, path, options);
  }
  if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], options));
  if (!isDict(value)) return value;
  const out: Dict = {};
  for (const [key, child] of Object.entries(value)) defineKey(out, key, walk(child, [...path, key], options));
  return out;
}

function cast(text: string, kind: CastKind, path: ComposePath, options: CastOptions): unknown {
  switch (kind) {
    case 'boolean':
      return toBoolean(text, path, options);
    case 'integer':
      if (INTEGER.test(text)) return Number(text);
      throw invalid(text, 'a whole number', path, options, 'write a whole number, e.g. 2');
    case 'number':
      if (NUMBER.test(text)) return Number(text);
      throw invalid(text, 'a number', path, options, 'write a number, e.g. 0.5');
    case 'integer-or-text':
      return INTEGER.test(text) ? Number(text) : text;
  }
}

function toBoolean(text: string, path: ComposePath, options: CastOptions): boolean {
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  const old = OLD_TRUE.has(lower) ? true : OLD_FALSE.has(lower) ? false : undefined;
  if (old === undefined) throw invalid(text, 'a boolean', path, options, 'write true or false');
  options.onWarning?.({
    code: 'DEPRECATED',
    message: `${formatPath(path)}: ${JSON.stringify(text)} for a boolean is not supported by YAML 1.2, please use \`${String(old)}\``,
    location: locate(path, options),
  });
  return old;
}

function invalid(text: string, what: string, path: ComposePath, options: CastOptions, hint: string): TscError {
  const at = formatPath(path);
  return new TscError('COMPOSE_INTERPOLATION', `${at}: cannot use ${JSON.stringify(text)} as ${what}`, {
    path: at,
    hint,
    location: locate(path, options),
  });
}

function locate(path: ComposePath, options: CastOptions): SourceLocation | undefined {
  return options.positions?.locate(path) ?? (options.file === undefined ? undefined : { file: options.file });
}
