// Benchmark: unpacking a large layer (a generated tree of ~270 MB: many small files, some large
// ones, directories, symlinks and hardlinks, tarred by GNU tar) with our LayerStore beside GNU
// `tar -x` of the same tar into a sibling directory; and preparing an overlay snapshot of the
// unpacked layer beside plain `mkdir` of the same directories. Baselines run in this process.
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import {
  chownSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, statfsSync, symlinkSync,
  utimesSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Digest } from '../../src/image/digest.js';
import { LayerStore, type LayerSource } from '../../src/image/layer-store.js';
import { LinuxFsOps } from '../../src/kernel/linux/linux-fs-ops.js';
import { OverlaySnapshotter } from '../../src/snapshot/overlay-snapshotter.js';
import { median, printTable, timeIt, timeItAsync } from './measure.js';

const SMALL_FILES = 24_000;
const LARGE_FILES_MB = [24, 16, 12, 12, 8, 6];
const PACKAGES = 600;
const SNAPSHOT_RUNS = 60;
const MTIME = 1_700_000_000;
const TMPFS_MAGIC = 0x01021994;
const IS_ROOT = process.getuid?.() === 0;

/** A small deterministic generator (mulberry32) for the shape of the tree. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Write a tree shaped like a distribution's root filesystem under `root`; returns its top-level names. */
function generateTree(root: string): string[] {
  const rand = prng(42);
  // Deterministic incompressible content: AES-CTR over zeros with a fixed key.
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
  const bytes = (size: number): Buffer => cipher.update(Buffer.alloc(size));
  const tops = ['usr/bin', 'usr/lib', 'usr/share/doc', 'usr/include', 'etc', 'var/lib'];
  const dirs: string[] = [];
  for (let p = 0; p < PACKAGES; p++) {
    const dir = `${tops[p % tops.length] as string}/pkg-${p}`;
    dirs.push(dir, `${dir}/sub`);
    mkdirSync(join(root, dir, 'sub'), { recursive: true });
  }
  const files: string[] = [];
  for (let i = 0; i < SMALL_FILES; i++) {
    const rel = `${dirs[Math.floor(rand() * dirs.length)] as string}/file-${i}${i % 3 === 0 ? '.so' : '.txt'}`;
    const size = Math.floor(Math.exp(Math.log(64) + rand() * (Math.log(48 << 10) - Math.log(64))));
    writeFileSync(join(root, rel), bytes(size), { mode: i % 5 === 0 ? 0o755 : i % 17 === 0 ? 0o600 : 0o644 });
    if (IS_ROOT && i % 7 === 0) chownSync(join(root, rel), 100, 101);
    files.push(rel);
  }
  LARGE_FILES_MB.forEach((mb, i) => {
    const rel = `usr/lib/pkg-${i * 6 + 1}/large-${i}.bin`;
    writeFileSync(join(root, rel), bytes(mb << 20));
    files.push(rel);
  });
  for (let i = 0; i < files.length; i += 10) {
    const at = dirs[(i * 7) % dirs.length] as string;
    symlinkSync(`${'../'.repeat(at.split('/').length)}${files[i] as string}`, join(root, at, `link-${i}`));
  }
  for (let i = 5; i < files.length; i += 40) linkSync(join(root, files[i] as string), join(root, dirs[(i * 11) % dirs.length] as string, `hard-${i}`));
  for (const rel of [...files, ...dirs.reverse()]) utimesSync(join(root, rel), MTIME, MTIME);
  return readdirSync(root).sort();
}

/** A scratch directory on tmpfs, when the machine has one at /dev/shm and `dir` is not on tmpfs already. */
function tmpfsDir(dir: string): string | undefined {
  if (statfsSync(dir).type === TMPFS_MAGIC || !existsSync('/dev/shm') || statfsSync('/dev/shm').type !== TMPFS_MAGIC) return undefined;
  return mkdtempSync('/dev/shm/tsc-bench-images-');
}

/** Generate the tree under `scratch` and tar it with GNU tar to `<dir>/layer.tar`, as a layer source. */
function makeLayer(dir: string, scratch: string): LayerSource {
  const tree = join(scratch, 'tree');
  mkdirSync(tree);
  const blobPath = join(dir, 'layer.tar');
  execFileSync('tar', ['--sort=name', '--numeric-owner', '-cf', blobPath, '-C', tree, ...generateTree(tree)]);
  const diffId: Digest = `sha256:${createHash('sha256').update(readFileSync(blobPath)).digest('hex')}`;
  return { digest: diffId, diffId, chainId: diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar', blobPath };
}

/**
 * Unpack `layer` into fresh directories under `root` with our LayerStore and with `tar -xf`, in
 * alternating order, each after a syncfs so that neither pays for the other's writeback. Nothing is
 * deleted between runs on a disk (ext4 without a journal scans recently deleted inodes on create);
 * on tmpfs each pair is removed at once. Returns the directory of our last unpack.
 */
async function benchUnpack(root: string, layer: LayerSource, runs: number, fsOps: LinuxFsOps): Promise<string> {
  const ours: number[] = [];
  const gnu: number[] = [];
  let entries = 0;
  let last = '';
  const disk = statfsSync(root).type !== TMPFS_MAGIC;
  for (let run = 0; run < runs; run++) {
    const store = new LayerStore(join(root, `ours-${run}`), { fsOps, ownership: IS_ROOT, sync: false, onUnpack: (e) => { entries = e.entries; } });
    const dest = join(root, `tar-${run}`);
    mkdirSync(dest);
    const timeOurs = async (): Promise<void> => {
      fsOps.syncfs(root);
      ours.push(...(await timeItAsync(1, async () => { last = await store.ensure(layer); })));
    };
    const timeTar = (): void => {
      fsOps.syncfs(root);
      gnu.push(...timeIt(1, () => execFileSync('tar', ['-xf', layer.blobPath, '-C', dest])));
    };
    if (run % 2 === 0) {
      await timeOurs();
      timeTar();
    } else {
      timeTar();
      await timeOurs();
    }
    if (!disk && run < runs - 1) [store.root, dest].forEach((d) => rmSync(d, { recursive: true }));
  }
  const mb = statSync(layer.blobPath).size / 1e6;
  const ratio = median(ours) / median(gnu);
  const where = disk ? `${root} (a disk)` : `${root} (tmpfs: the CPU cost, without a disk)`;
  printTable(`images, in ${where}: unpack a ${mb.toFixed(0)} MB layer (${entries} entries), median of ${runs}, no fsync on either side`, [
    ['LayerStore.ensure (unpackLayer)', median(ours), median(gnu), 'tar -xf'],
  ]);
  console.log(`  throughput: ours ${(mb / (median(ours) / 1000)).toFixed(0)} MB/s, tar ${(mb / (median(gnu) / 1000)).toFixed(0)} MB/s`);
  console.log(`target: unpack within 1.5x of tar — ${ratio <= 1.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`);
  return last;
}

async function benchSnapshot(root: string, layerDir: string): Promise<void> {
  const snapshots = new OverlaySnapshotter(join(root, 'snapshots'));
  await snapshots.prepare('warm-up', [layerDir]);
  await snapshots.remove('warm-up');
  let n = 0;
  const prepare = await timeItAsync(SNAPSHOT_RUNS, async () => {
    const key = `bench-${n++}`;
    await snapshots.prepare(key, [layerDir]);
    await snapshots.remove(key);
  });
  const plain = join(root, 'plain');
  const mkdirs = timeIt(SNAPSHOT_RUNS, () => {
    mkdirSync(join(plain, 'upper'), { recursive: true });
    mkdirSync(join(plain, 'work'));
    rmSync(plain, { recursive: true });
  });
  printTable(`images: prepare + remove an overlay snapshot of an unpacked layer, median of ${SNAPSHOT_RUNS}`, [
    ['OverlaySnapshotter prepare + remove', median(prepare), median(mkdirs), 'mkdir upper, work + rm -r'],
  ]);
  console.log(`target: snapshot under 20 ms — ${median(prepare) < 20 ? 'met' : 'NOT met'}`);
}

export async function benchImages(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-bench-images-'));
  const shm = tmpfsDir(dir);
  try {
    const fsOps = new LinuxFsOps();
    const layer = makeLayer(dir, shm ?? dir);
    if (shm !== undefined) rmSync(join(shm, 'tree'), { recursive: true });
    const layerDir = await benchUnpack(dir, layer, 3, fsOps);
    if (shm !== undefined) await benchUnpack(shm, layer, 5, fsOps);
    await benchSnapshot(dir, layerDir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (shm !== undefined) rmSync(shm, { recursive: true, force: true });
  }
}
