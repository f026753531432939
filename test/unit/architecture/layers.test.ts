import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

// The layer table of DESIGN.md: a module may import only from the layers listed for it.
const ROOT = resolve(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src');

const LAYER_OF: Record<string, string> = {
  errors: 'L0', util: 'L0',
  compose: 'L1', state: 'L1', kernel: 'L1',
  snapshot: 'L2', cgroups: 'L2', net: 'L2', volume: 'L2',
  image: 'L3',
  runtime: 'L4',
  orchestrator: 'L5',
  cli: 'L6', api: 'L6',
  'kernel/linux': 'KLINUX',
  native: 'NATIVE',
};

const MAY_IMPORT: Record<string, string[]> = {
  L0: ['L0'],
  L1: ['L0', 'L1'],
  L2: ['L0', 'L1', 'L2'],
  L3: ['L0', 'L1', 'L2', 'L3'],
  L4: ['L0', 'L1', 'L2', 'L3', 'L4'],
  L5: ['L0', 'L1', 'L2', 'L3', 'L4', 'L5'],
  L6: ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'KLINUX'],
  KLINUX: ['L0', 'L1', 'KLINUX'],
  NATIVE: ['L0', 'NATIVE'],
};

/** Folders of L1 that must not import each other (compose, state and the kernel interface are peers). */
function moduleKey(file: string): string {
  const rel = relative(SRC, file).split(sep).join('/');
  // src/kernel/*.ts is the kernel interface (L1); src/kernel/linux/ is the real kernel.
  if (rel.startsWith('kernel/linux/')) return 'kernel/linux';
  return rel.split('/')[0] ?? rel;
}

export function layerOf(file: string): string | undefined {
  return LAYER_OF[moduleKey(file)];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

type Read = (file: string) => string;
const readText: Read = (file) => readFileSync(file, 'utf8');

function internalImports(file: string, read: Read): string[] {
  const text = read(file);
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    if (spec !== undefined && spec.startsWith('.')) out.push(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
  }
  return out;
}

export function violations(files: string[], read: Read = readText): string[] {
  const found: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (from === undefined) {
      found.push(`${relative(ROOT, file)}: not in any layer of DESIGN.md`);
      continue;
    }
    for (const target of internalImports(file, read)) {
      if (!target.startsWith(SRC)) continue;
      const to = layerOf(target);
      const sameModule = moduleKey(file) === moduleKey(target);
      const allowed = to !== undefined && (MAY_IMPORT[from] ?? []).includes(to);
      // Peers within one layer may not import each other, except L0 and L6 which are single units.
      const peer = to === from && !sameModule && from !== 'L0' && from !== 'L6' && from !== 'L2';
      if (!allowed || peer) found.push(`${relative(ROOT, file)} (${from}) imports ${relative(ROOT, target)} (${to ?? '?'})`);
    }
  }
  return found;
}

describe('layer import rules of DESIGN.md', () => {
  it('every source file is in a layer and imports only downward', () => {
    expect(violations(walk(SRC))).toEqual([]);
  });

  it('the check catches an upward import and a peer import', () => {
    const files = {
      [join(SRC, 'compose', 'probe.ts')]: "import { x } from '../runtime/container.js';\n",
      [join(SRC, 'state', 'probe.ts')]: "import type { Project } from '../compose/model.js';\n",
      [join(SRC, 'runtime', 'probe.ts')]: "import { TscError } from '../errors/index.js';\n",
    };
    const found = violations(Object.keys(files), (f) => files[f] ?? '');
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('src/compose/probe.ts (L1) imports src/runtime/container.ts (L4)');
    expect(found[1]).toContain('src/state/probe.ts (L1) imports src/compose/model.ts (L1)');
  });
});
