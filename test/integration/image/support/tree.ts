import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A directory as `LAYERS_IMAGE_TREE` writes one: `dir`, `file:<mode>:<content>`, `symlink:<target>`, `other`. */
export async function describeTree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    const rel = `${prefix}${name}`;
    const st = await lstat(path);
    if (st.isDirectory()) {
      out[rel] = 'dir';
      Object.assign(out, await describeTree(path, `${rel}/`));
    } else if (st.isFile()) {
      out[rel] = `file:${(st.mode & 0o7777).toString(8)}:${await readFile(path, 'utf8')}`;
    } else if (st.isSymbolicLink()) {
      out[rel] = `symlink:${await readlink(path)}`;
    } else {
      out[rel] = 'other';
    }
  }
  return out;
}
