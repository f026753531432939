import type { SourceLocation } from '../errors/index.js';

/**
 * Contracts shared by the loader stages. Every stage is a pure function over plain JSON-like data
 * (`Dict`), so stages can be tested alone with inline YAML. See src/compose/README.md for the order.
 */
export type Dict = { [key: string]: unknown };

/** A path into a compose document: `['services', 'web', 'ports', 0]`. */
export type ComposePath = ReadonlyArray<string | number>;

/** Looks a variable up; `undefined` means unset (distinct from set-but-empty). */
export type Lookup = (name: string) => string | undefined;

/** Positions of the nodes of one parsed file, by compose path. */
export interface PositionIndex {
  /** The location of the node at `path`, or of its nearest ancestor that has one. */
  locate(path: ComposePath): SourceLocation | undefined;
}

/** One compose file after the YAML stage. */
export interface ParsedFile {
  /** Absolute path, or `-` for standard input. */
  path: string;
  data: Dict;
  positions: PositionIndex;
  /** Paths tagged `!reset`: removed from `data`, and reset in what this file is merged over. */
  resets: ComposePath[];
  /** Paths tagged `!override`: in `data`, and replace (not merge) what this file is merged over. */
  overrides: ComposePath[];
}

export type WarningCode = 'UNSET_VARIABLE' | 'OBSOLETE_VERSION' | 'PROFILE_UNKNOWN' | 'DEPRECATED' | 'MULTIPLE_CONFIG_FILES';

export interface Warning {
  code: WarningCode;
  message: string;
  location?: SourceLocation;
}

export type WarningSink = (warning: Warning) => void;

/** `services.web.ports[0]`: how paths appear in messages. */
export function formatPath(path: ComposePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (out === '') out = segment;
    else out += `.${segment}`;
  }
  return out;
}

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
