import { createRequire } from 'node:module';
import type * as YamlLibrary from 'yaml';

// The `yaml` package costs tens of milliseconds to load, and most files never need it (see
// yaml-stage.ts), so it is loaded on first use, at most once per process. Its `node` export is
// CommonJS, so `require` hands over the same module an `import` would.
let library: typeof YamlLibrary | undefined;

/** The `yaml` package. */
export function yamlLibrary(): typeof YamlLibrary {
  library ??= createRequire(import.meta.url)('yaml') as typeof YamlLibrary;
  return library;
}
