/** One line of /etc/passwd. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** One line of /etc/group. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

const id = (text: string | undefined): number | undefined => {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 0xfffffffe ? n : undefined;
};

function records(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

/** The entries of an /etc/passwd; malformed lines are skipped, as libc does. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const [name, , uidText, gidText, , home] of records(text)) {
    const uid = id(uidText);
    const gid = id(gidText);
    if (name !== undefined && name !== '' && uid !== undefined && gid !== undefined) out.push({ name, uid, gid, home: home || '/' });
  }
  return out;
}

/** The entries of an /etc/group; malformed lines are skipped. */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const [name, , gidText, members] of records(text)) {
    const gid = id(gidText);
    if (name === undefined || name === '' || gid === undefined) continue;
    out.push({ name, gid, members: (members ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '') });
  }
  return out;
}

/** A decimal id (`1000`), or undefined for a name. */
export function numericId(text: string): number | undefined {
  return id(text);
}
