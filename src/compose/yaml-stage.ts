import type { ParsedFile } from './types.js';
import { readComposeYamlFast } from './yaml-fast-stage.js';
import { parseComposeYamlWithLibrary } from './yaml-library-stage.js';

export { MAX_NODES } from './yaml-limits.js';

/**
 * The YAML stage: one compose file's text to plain data. YAML 1.2 core schema (so `yes` and `0755`
 * stay strings and `80:80` is a string), merge keys, unique keys, `!reset` / `!override`, and the
 * position of every node by compose path. `file` is the absolute path, or `-` for standard input.
 *
 * A file is read by the fast reader when it can (most files: it reads YAML as compose files are
 * written), else by the `yaml` package, which also reports every error. Both give the same result.
 */
export function parseComposeYaml(text: string, file: string): ParsedFile {
  return readComposeYamlFast(text, file) ?? parseComposeYamlWithLibrary(text, file);
}
