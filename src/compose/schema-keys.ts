import { composeSchema, type SchemaNode } from './compose-schema.js';
import type { ComposePath } from './types.js';

/**
 * The keys the compose schema names at `path` (`['services', 'web']` → `image`, `build`, …),
 * sorted. Where several forms are allowed (a port as a string or a mapping), the keys of every
 * mapping form are included. Extension keys (`x-…`) and free-form names (service names,
 * environment variables) are not keys of the schema, so they are not listed.
 */
export function schemaKeys(path: ComposePath, root: SchemaNode = composeSchema()): string[] {
  let nodes = expand([root], root);
  for (const segment of path) {
    nodes = expand(nodes.flatMap((node) => childSchemas(node, segment)), root);
    if (nodes.length === 0) return [];
  }
  const keys = new Set<string>();
  for (const node of nodes) for (const key of Object.keys(asNode(node.properties) ?? {})) keys.add(key);
  return [...keys].sort();
}

/** The schemas a value at `segment` of a value matching `node` must match. */
function childSchemas(node: SchemaNode, segment: string | number): SchemaNode[] {
  if (typeof segment === 'number') {
    const items = asNode(node.items);
    return items === undefined ? [] : [items];
  }
  const named = asNode(asNode(node.properties)?.[segment]);
  if (named !== undefined) return [named];
  const patterns = asNode(node.patternProperties) ?? {};
  const matching = Object.entries(patterns)
    .filter(([pattern]) => new RegExp(pattern, 'u').test(segment))
    .map(([, schema]) => asNode(schema))
    .filter((schema): schema is SchemaNode => schema !== undefined);
  if (matching.length > 0) return matching;
  const additional = asNode(node.additionalProperties);
  return additional === undefined ? [] : [additional];
}

/** Follows `$ref` and flattens `anyOf` / `oneOf` into the list of alternative schemas. */
function expand(nodes: SchemaNode[], root: SchemaNode): SchemaNode[] {
  const out: SchemaNode[] = [];
  const visit = (node: SchemaNode, depth: number): void => {
    if (depth > 32) return;
    const ref = typeof node.$ref === 'string' ? resolveRef(root, node.$ref) : undefined;
    if (ref !== undefined) visit(ref, depth + 1);
    const branches = [node.anyOf, node.oneOf].flatMap((list) => (Array.isArray(list) ? list : []));
    for (const branch of branches) {
      const schema = asNode(branch);
      if (schema !== undefined) visit(schema, depth + 1);
    }
    out.push(node);
  };
  for (const node of nodes) visit(node, 0);
  return out;
}

/** `#/$defs/service` → that node of the schema. */
function resolveRef(root: SchemaNode, ref: string): SchemaNode | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: SchemaNode | undefined = root;
  for (const part of ref.slice(2).split('/')) {
    node = asNode(node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')]);
  }
  return node;
}

function asNode(value: unknown): SchemaNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SchemaNode) : undefined;
}
