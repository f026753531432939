import type { TscError } from '../errors/index.js';
import type { NumericUser } from './container-spec.js';
import { numericId, parseGroup, parsePasswd, type GroupEntry, type PasswdEntry } from './passwd-file.js';
import type { RootView } from './root-view.js';
import { specError } from './spec-error.js';

/** Who the container's process runs as, with ids only. */
export interface ResolvedUser {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids: readonly number[];
  /** From /etc/passwd, for HOME; `/` when the user has no entry. */
  readonly home: string;
}

function notFound(kind: 'user' | 'group', name: string): TscError {
  const file = kind === 'user' ? 'passwd' : 'group';
  return specError(`unable to find ${kind} ${name}: no matching entries in ${file} file`,
    `the image's /etc/${file} has no ${kind} "${name}"; use a numeric id or add the ${kind} to the image`);
}

function findGroup(groups: readonly GroupEntry[], arg: string): number {
  const n = numericId(arg);
  const entry = groups.find((g) => g.name === arg || (n !== undefined && g.gid === n));
  if (entry !== undefined) return entry.gid;
  if (n !== undefined) return n;
  throw notFound('group', arg);
}

function findUser(passwd: readonly PasswdEntry[], arg: string): PasswdEntry | { uid: number } {
  const n = numericId(arg);
  const entry = passwd.find((p) => p.name === arg || (n !== undefined && p.uid === n));
  if (entry !== undefined) return entry;
  if (n !== undefined) return { uid: n };
  throw notFound('user', arg);
}

const unique = (ids: readonly number[]): number[] => [...new Set(ids)];

/**
 * Resolves `user` as Docker does from the image's /etc/passwd and /etc/group: `name` or `uid`, optionally
 * `:group` or `:gid`. A numeric id need not exist (its group is then 0); a name must. Without an explicit
 * group, the user's supplementary groups are those of /etc/group that list it; `additionalGroups` come after.
 */
export async function resolveUser(
  user: string | NumericUser | undefined,
  additionalGroups: readonly (string | number)[] | undefined,
  view: RootView,
): Promise<ResolvedUser> {
  const passwd = parsePasswd((await view.readFile('/etc/passwd')) ?? '');
  let groups: GroupEntry[] | undefined;
  const groupFile = async (): Promise<GroupEntry[]> => (groups ??= parseGroup((await view.readFile('/etc/group')) ?? ''));
  const extra = async (): Promise<number[]> => {
    const out: number[] = [];
    for (const g of additionalGroups ?? []) out.push(typeof g === 'number' ? g : findGroup(await groupFile(), g));
    return out;
  };

  if (typeof user === 'object') {
    const home = passwd.find((p) => p.uid === user.uid)?.home ?? '/';
    return { uid: user.uid, gid: user.gid, additionalGids: unique([...(user.additionalGids ?? []), ...(await extra())]), home };
  }
  const spec = user === undefined || user === '' ? '0' : user;
  const colon = spec.indexOf(':');
  const userArg = (colon < 0 ? spec : spec.slice(0, colon)) || '0';
  const groupArg = colon < 0 ? undefined : spec.slice(colon + 1);
  const found = findUser(passwd, userArg);
  const name = 'name' in found ? found.name : undefined;
  let gid = 'gid' in found ? found.gid : 0;
  let supplementary: number[] = [];
  if (groupArg !== undefined && groupArg !== '') {
    gid = findGroup(await groupFile(), groupArg);
  } else if (name !== undefined) {
    supplementary = (await groupFile()).filter((g) => g.members.includes(name)).map((g) => g.gid);
  }
  const home = 'home' in found ? found.home : '/';
  return { uid: found.uid, gid, additionalGids: unique([...supplementary, ...(await extra())]), home };
}
