// Bundles the compiled CLI (dist/cli/main.js) into one CommonJS file, dist/bundle/main.cjs, with
// esbuild, and seeds a V8 code cache for it. Run by `npm run build` after tsc and the validator
// precompile. One run of the CLI then reads one file and deserialises the functions it needs instead
// of resolving, linking, parsing and compiling some 350 modules, which was most of its start-up time.
// bin/tscompose loads it through dist/cli/bundle-loader.js (see that file for the caches).
//
// What stays outside the bundle, and why it keeps working:
// - Files found relative to a module's own location (`new URL('…', import.meta.url)`: the native
//   helper and addon under build/native/, schemas/, package.json, the supervisor's entry
//   dist/api/supervisor-main.js): every `import.meta.url` of a bundled module is rewritten to that
//   module's own place in dist/, so each lookup resolves exactly as unbundled.
// - Packages loaded with `createRequire` (yaml, ajv's compiler, the addon) are loaded by Node as before.
// - The supervisor runs from dist/ unbundled, as a separate entry.
// The precompiled compose validator (dist/compose/compose-validator.cjs) is bundled in, so it shares
// the code cache; its schema digest is still checked at run time. Lazy `import()`s stay lazy: esbuild
// turns them into module initialisers that run on first use.
//
// The bundle is written beside dist/bundle/ and renamed into place, so a concurrent reader never
// sees a half-written one (and, between the two renames, bin/tscompose falls back to dist/cli/).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');
const staging = `${outdir}.tmp-${process.pid}`;
const VALIDATOR_LOAD = 'createRequire(import.meta.url)(PRECOMPILED_VALIDATOR)';

/** Gives each bundled module of dist/ its own `import.meta.url` back, and bundles the precompiled validator. */
const ownLocation = {
  name: 'own-location',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      let source = await readFile(args.path, 'utf8');
      if (args.path === join(dist, 'compose', 'compose-schema.js')) source = bundleValidator(source);
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'js' };
      const fromOutdir = relative(outdir, args.path).split(sep).join('/');
      const own = `new URL(${JSON.stringify(fromOutdir)}, __tscBundleUrl).href`;
      return { contents: source.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

/** The validator as a bundled `require`, when it was precompiled and compose-schema.js loads it as expected. */
function bundleValidator(source) {
  if (!existsSync(join(dist, 'compose', 'compose-validator.cjs'))) {
    console.warn('bundle: dist/compose/compose-validator.cjs is missing (run `node dist/compose/schema-precompile.js`); the CLI will compile the schema at run time');
    return source;
  }
  if (source.split(VALIDATOR_LOAD).length !== 2) {
    console.warn(`bundle: dist/compose/compose-schema.js no longer loads the validator with \`${VALIDATOR_LOAD}\`; it stays outside the bundle`);
    return source;
  }
  return source.replace(VALIDATOR_LOAD, 'require("./compose-validator.cjs")');
}

/**
 * esbuild escapes non-ASCII characters everywhere but in regular expression literals; escaping those
 * too makes the bundle pure ASCII, which the loader reads as latin1 (faster than decoding UTF-8).
 */
const toAscii = (text) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A compose file with the usual attributes, for the seed cache: its load and validation compile what a real file's do. */
const SEED_COMPOSE = `services:
  web:
    image: busybox:latest
    command: ["sh", "-c", "httpd -f -p 8080"]
    environment: { MODE: production }
    ports: ["8080:8080"]
    volumes: ["data:/data", "./conf:/conf:ro"]
    depends_on: { db: { condition: service_healthy } }
    networks: [front]
    restart: unless-stopped
  db:
    image: busybox:latest
    command: sleep 1000
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }
    network_mode: none
volumes:
  data: {}
networks:
  front: {}
`;

/** Runs a few harmless commands through the loader in a child and keeps what V8 compiled as the seed cache. */
function seedCache(bundle) {
  const loader = join(dist, 'cli', 'bundle-loader.js');
  if (!existsSync(loader)) return;
  const scratch = mkdtempSync(join(tmpdir(), 'tsc-bundle-seed-'));
  try {
    const compose = join(scratch, 'compose.yaml');
    writeFileSync(compose, SEED_COMPOSE);
    const runs = [['--help'], ['version'], ['-f', compose, '-p', 'seed', 'config'], ['-f', compose, '-p', 'seed', 'config', '--services']];
    const code = `import { writeSeedCache } from ${JSON.stringify(pathToFileURL(loader).href)};\nawait writeSeedCache(${JSON.stringify(bundle)}, ${JSON.stringify(runs)});`;
    const env = { ...process.env, TSCOMPOSE_ROOT: join(scratch, 'data'), TSCOMPOSE_RUNTIME_ROOT: join(scratch, 'run'), TSCOMPOSE_DNS_UPSTREAM: 'none', NO_COLOR: '1' };
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: scratch, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    if (result.status !== 0) console.warn(`bundle: no seed code cache (${result.error?.message ?? result.stderr.toString().trim().split('\n')[0]}); the first run writes one`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await rm(staging, { recursive: true, force: true });
try {
  const result = await build({
    entryPoints: [join(dist, 'cli', 'main.js')],
    outfile: join(staging, 'main.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    charset: 'ascii',
    // Whitespace and syntax only: identifiers keep their names (class names show in errors), and the
    // source map leads stack traces of internal errors back to src/ (see bundle-stack.ts).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    banner: { js: 'const __tscBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [ownLocation],
    logLevel: 'warning',
    write: false,
  });
  await mkdir(staging, { recursive: true });
  for (const file of result.outputFiles) {
    await writeFile(file.path, basename(file.path) === 'main.cjs' ? toAscii(file.text) : file.contents);
  }
  seedCache(join(staging, 'main.cjs'));
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
