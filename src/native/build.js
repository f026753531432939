// Builds the C programs of src/native/ into build/native/. Run by `npm install` (prepare) and `npm run build`.
// Every program is compiled with -Wall -Wextra -Werror; programs that go into test images are static.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'build', 'native');
mkdirSync(out, { recursive: true });

const CFLAGS = ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-Werror', '-D_GNU_SOURCE'];

// One entry per program: its folder under src/native/ and whether it must be static.
const PROGRAMS = [
  { name: 'tsc-helper', dir: 'helper', static: false },
  { name: 'tsc-probe', dir: 'probe', static: true },
  { name: 'tsc-proxy', dir: 'proxy', static: false },
  { name: 'fsops.node', dir: 'fsops', static: false, flags: ['-shared', '-fPIC', '-I/usr/include/node'] },
];

function newest(files) {
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

for (const program of PROGRAMS) {
  const dir = join(here, program.dir);
  if (!existsSync(dir)) continue;
  const sources = readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => join(dir, f));
  const headers = readdirSync(dir).filter((f) => f.endsWith('.h')).map((f) => join(dir, f));
  if (sources.length === 0) continue;
  const target = join(out, program.name);
  if (existsSync(target) && statSync(target).mtimeMs >= newest([...sources, ...headers, fileURLToPath(import.meta.url)])) continue;
  const args = [...CFLAGS, ...(program.static ? ['-static'] : []), ...(program.flags ?? []), '-o', target, ...sources];
  try {
    execFileSync(process.env.CC ?? 'cc', args, { stdio: 'inherit' });
  } catch {
    console.error(`native build: compiling ${program.name} failed (cc ${args.join(' ')})`);
    process.exit(1);
  }
}
