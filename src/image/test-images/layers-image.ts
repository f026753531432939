import type { TarWriteEntry } from '../tar/tar-writer.js';
import { layerTar, type TestLayer } from './oci-archive-builder.js';

type Item = { entry: TarWriteEntry; data?: Buffer };

const dir = (path: string, mode = 0o755): Item => ({ entry: { path: `${path}/`, type: 'directory', mode } });
const file = (path: string, content: string, mode = 0o644): Item => ({ entry: { path, type: 'file', mode }, data: Buffer.from(content) });
const whiteout = (path: string): Item => file(path, '');

/**
 * Three layers (plain, gzip, zstd) that exercise what overlayfs must get right: a file replaced in
 * each layer, files and a directory deleted by whiteouts, an opaque directory, a directory brought
 * back after its deletion, a setuid file, a symlink and a hardlink.
 */
export function layersImageLayers(): TestLayer[] {
  const one = layerTar([
    dir('data'),
    file('data/gone.txt', 'to be deleted\n'),
    file('data/keep.txt', 'keep\n'),
    { entry: { path: 'data/keep-hard.txt', type: 'hardlink', linkpath: 'data/keep.txt' } },
    dir('etc'),
    file('etc/app.conf', 'version=1\n'),
    dir('gone-dir'),
    file('gone-dir/file.txt', 'in a deleted directory\n'),
    { entry: { path: 'link-to-keep', type: 'symlink', linkpath: 'data/keep.txt' } },
    dir('opaque'),
    file('opaque/old.txt', 'hidden by the opaque layer\n'),
    dir('opaque/sub'),
    file('opaque/sub/deep.txt', 'hidden too\n'),
  ]);
  const two = layerTar([
    whiteout('.wh.gone-dir'),
    file('added.txt', 'added in layer 2\n'),
    dir('bin'),
    file('bin/suid', 'setuid\n', 0o4755),
    dir('data'),
    whiteout('data/.wh.gone.txt'),
    dir('etc'),
    file('etc/app.conf', 'version=2\n'),
    dir('opaque'),
    whiteout('opaque/.wh..wh..opq'),
    file('opaque/new.txt', 'new\n'),
  ]);
  const three = layerTar([
    whiteout('.wh.added.txt'),
    dir('data'),
    file('data/new.txt', 'layer 3\n'),
    dir('etc'),
    file('etc/app.conf', 'version=3\n', 0o600),
    dir('gone-dir'),
    file('gone-dir/again.txt', 'again\n'),
  ]);
  return [
    { tar: one, compression: 'none' },
    { tar: two, compression: 'gzip' },
    { tar: three, compression: 'zstd' },
  ];
}

/** One path of a merged tree: `dir`, `file:<mode>:<content>` or `symlink:<target>`. */
export type TreeEntry = string;

/** The tree a container sees over the three layers (paths relative to its root). */
export const LAYERS_IMAGE_TREE: Readonly<Record<string, TreeEntry>> = {
  bin: 'dir',
  'bin/suid': 'file:4755:setuid\n',
  data: 'dir',
  'data/keep-hard.txt': 'file:644:keep\n',
  'data/keep.txt': 'file:644:keep\n',
  'data/new.txt': 'file:644:layer 3\n',
  etc: 'dir',
  'etc/app.conf': 'file:600:version=3\n',
  'gone-dir': 'dir',
  'gone-dir/again.txt': 'file:644:again\n',
  'link-to-keep': 'symlink:data/keep.txt',
  opaque: 'dir',
  'opaque/new.txt': 'file:644:new\n',
};
