// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/ with esbuild. Run by `npm run build`
// after tsc. One run of the CLI then loads a handful of files instead of some 350 modules, which is
// most of its start-up time. Lazy `import()`s stay lazy: they become chunks loaded on first use.
//
// What stays outside the bundle, and why it keeps working:
// - Files found relative to a module's own location (`new URL('…', import.meta.url)`: the native
//   helper and addon under build/native/, schemas/, the precompiled validator, package.json, the
//   supervisor's entry dist/api/supervisor-main.js): every `import.meta.url` of a bundled module is
//   rewritten to that module's own place in dist/, so each lookup resolves exactly as unbundled.
// - Packages loaded with `createRequire` (yaml, ajv, the addon) are loaded by Node as before.
// - The supervisor runs from dist/ unbundled, as a separate entry.
//
// The bundle is written beside dist/bundle/ and renamed into place, so a concurrent reader never
// sees a half-written one. bin/tscompose uses it only while it is newer than dist/cli/main.js.
import { build } from 'esbuild';
import { readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');
const staging = `${outdir}.tmp-${process.pid}`;

/** Gives each bundled module of dist/ its own `import.meta.url` back (chunks all sit in outdir). */
const ownLocation = {
  name: 'own-location',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'js' };
      const fromOutdir = relative(outdir, args.path).split(sep).join('/');
      const own = `new URL(${JSON.stringify(fromOutdir)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

await rm(staging, { recursive: true, force: true });
try {
  await build({
    entryPoints: { main: join(dist, 'cli', 'main.js') },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunk-[hash]',
    // Bundled CommonJS packages (commander) call require() for Node's own modules.
    banner: { js: "import { createRequire as __tscRequire } from 'node:module'; const require = __tscRequire(import.meta.url);" },
    plugins: [ownLocation],
    logLevel: 'warning',
  });
  await rm(`${outdir}.old-${process.pid}`, { recursive: true, force: true });
  await rename(outdir, `${outdir}.old-${process.pid}`).catch((err) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(staging, outdir);
  await rm(`${outdir}.old-${process.pid}`, { recursive: true, force: true });
} catch (err) {
  await rm(staging, { recursive: true, force: true });
  throw err;
}
