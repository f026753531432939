import { isDict, type ComposePath, type Dict } from '../types.js';

/** `dict` without the value at `path` (a copy along the path; missing paths change nothing). */
export function removePath(dict: Dict, path: ComposePath): Dict {
  const [head, ...rest] = path;
  if (head === undefined || typeof head === 'number' || !Object.hasOwn(dict, head)) return dict;
  if (rest.length === 0) {
    const { [head]: _removed, ...kept } = dict;
    return kept;
  }
  const child = dict[head];
  if (!isDict(child)) return dict;
  return { ...dict, [head]: removePath(child, rest) };
}
