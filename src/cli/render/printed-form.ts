import { lookupPattern, type PathPattern } from '../../compose/canonical/path-pattern.js';
import { isDict, type ComposePath } from '../../compose/types.js';

/** Turns an attribute's model value into the value `config` prints; `undefined` leaves it out. */
type Printer = (value: unknown) => unknown;

const S = 'services.*';

/** `{host: [ip, ...]}` as Compose prints it: a sorted list of `HOST=IP`, one entry per address. */
const hostList: Printer = (value) => {
  if (!isDict(value)) return value;
  const entries = Object.entries(value).flatMap(([host, ips]) =>
    (Array.isArray(ips) ? ips : [ips]).map((ip) => `${host}=${String(ip)}`));
  return entries.sort();
};

/** Compose leaves out a boolean attribute that is false (its model field is a plain `omitempty` bool). */
const omitFalse: Printer = (value) => (value === false ? undefined : value);

/** `env_file` has been read into `environment` by the loader; Compose's `config` discards it. */
const discard: Printer = () => undefined;

function each(patterns: PathPattern[], printer: Printer): Array<[PathPattern, Printer]> {
  return patterns.map((pattern) => [pattern, printer]);
}

/** The attributes that `docker compose config` prints in another form than the model holds them. */
export const PRINTED_FORM: ReadonlyMap<PathPattern, Printer> = new Map([
  [`${S}.env_file`, discard],
  ...each([`${S}.extra_hosts`, `${S}.build.extra_hosts`], hostList),
  ...each(
    [`${S}.privileged`, `${S}.read_only`, `${S}.stdin_open`, `${S}.tty`, `${S}.oom_kill_disable`,
      `${S}.healthcheck.disable`, `${S}.depends_on.*.restart`, `${S}.volumes.*.read_only`,
      `${S}.volumes.*.bind.create_host_path`, `${S}.volumes.*.volume.nocopy`,
      'networks.*.internal', 'networks.*.attachable', 'networks.*.external', 'volumes.*.external',
      'secrets.*.external', 'configs.*.external'],
    omitFalse,
  ),
]);

/** The value at `path` as Compose prints it (`undefined`: not printed). */
export function printedForm(value: unknown, path: ComposePath): unknown {
  const printer = lookupPattern(PRINTED_FORM, path);
  return printer === undefined ? value : printer(value);
}
