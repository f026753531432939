/**
 * The tree the fast YAML reader builds: just what the compose loader needs from a YAML file. Scalars
 * carry their value already typed; aliases point at the node they repeat; every node knows the
 * offset it starts at, for positions.
 */
export type TreeNode = TreeScalar | TreeMap | TreeSeq | TreeAlias;

/** The only tags the reader accepts (see yaml-convert.ts): anything else goes to the `yaml` package. */
export type TreeTag = '!reset' | '!override';

export interface TreeScalar {
  kind: 'scalar';
  start: number;
  tag: TreeTag | undefined;
  value: unknown;
}

export interface TreeMap {
  kind: 'map';
  start: number;
  tag: TreeTag | undefined;
  /** Keys and values side by side. */
  keys: TreeKey[];
  values: TreeNode[];
}

export interface TreeKey {
  name: string;
  start: number;
  /** A plain `<<`: the value is merged into the mapping. */
  merge: boolean;
}

export interface TreeSeq {
  kind: 'seq';
  start: number;
  tag: TreeTag | undefined;
  items: TreeNode[];
}

export interface TreeAlias {
  kind: 'alias';
  start: number;
  name: string;
  target: TreeNode;
}

/** Node properties written before a node: `&anchor` and a tag. */
export interface TreeProps {
  anchor: string | undefined;
  tag: TreeTag | undefined;
}

/**
 * Thrown inside the fast reader when the text is outside what it reads with certainty; the file is
 * then read by the `yaml` package, which also reports every error. Never escapes the reader.
 */
export class OutsideFastPath extends Error {}
