import { COLON, COMMA, HASH, NL, SPACE, decline, plainKey, plainMayStart } from './yaml-cursor.js';
import type { YamlCursor } from './yaml-cursor.js';
import { typePlain } from './yaml-scalars.js';
import type { TreeKey, TreeMap, TreeNode, TreeProps, TreeSeq } from './yaml-tree.js';

const OPEN_SEQ = 0x5b;
const CLOSE_SEQ = 0x5d;
const OPEN_MAP = 0x7b;
const CLOSE_MAP = 0x7d;

/**
 * A flow collection (`[a, b]`, `{a: 1}`) at `cursor.pos`, possibly over several lines, each
 * indented more than `parent`. Pairs inside sequences, explicit keys, empty entries and plain
 * scalars over several lines are left to the library. `pos` ends after the closing bracket.
 */
export function readFlowCollection(cursor: YamlCursor, parent: number, props: TreeProps | undefined): TreeMap | TreeSeq {
  return cursor.code() === OPEN_SEQ ? flowSequence(cursor, parent, props) : flowMapping(cursor, parent, props);
}

function flowSequence(cursor: YamlCursor, parent: number, props: TreeProps | undefined): TreeSeq {
  const seq: TreeSeq = { kind: 'seq', start: cursor.pos, tag: props?.tag, items: [] };
  cursor.anchor(props, seq);
  cursor.pos++;
  cursor.flowDepth++;
  for (;;) {
    skipFlowSpace(cursor, parent);
    if (cursor.code() === CLOSE_SEQ) break;
    seq.items.push(flowNode(cursor, parent));
    skipFlowSpace(cursor, parent);
    const code = cursor.code();
    if (code === CLOSE_SEQ) break;
    if (code !== COMMA) decline();
    cursor.pos++;
  }
  cursor.pos++;
  cursor.flowDepth--;
  return seq;
}

function flowMapping(cursor: YamlCursor, parent: number, props: TreeProps | undefined): TreeMap {
  const map: TreeMap = { kind: 'map', start: cursor.pos, tag: props?.tag, keys: [], values: [] };
  cursor.anchor(props, map);
  const seen = new Set<string>();
  cursor.pos++;
  cursor.flowDepth++;
  for (;;) {
    skipFlowSpace(cursor, parent);
    if (cursor.code() === CLOSE_MAP) break;
    const key = flowKey(cursor, parent);
    if (!key.merge) {
      if (seen.has(key.name)) decline();
      seen.add(key.name);
    }
    cursor.skipSpaces();
    let value: TreeNode | undefined;
    if (cursor.code() === COLON) {
      cursor.pos++;
      cursor.skipSpaces();
      const code = cursor.code();
      if (code === NL || code === HASH) decline();
      if (code !== COMMA && code !== CLOSE_MAP) value = flowNode(cursor, parent);
    }
    map.keys.push(key);
    map.values.push(value ?? cursor.scalar(cursor.pos, null, undefined));
    skipFlowSpace(cursor, parent);
    const code = cursor.code();
    if (code === CLOSE_MAP) break;
    if (code !== COMMA) decline();
    cursor.pos++;
  }
  cursor.pos++;
  cursor.flowDepth--;
  return map;
}

/** A key in a flow mapping: quoted, or plain and typed as a string, on one line. */
function flowKey(cursor: YamlCursor, parent: number): TreeKey {
  const start = cursor.pos;
  const code = cursor.code();
  if (code === 0x22 || code === 0x27) {
    const lineStart = cursor.lineStart;
    const name = cursor.quoted(parent, undefined).value as string;
    if (cursor.lineStart !== lineStart) decline();
    return { name, start, merge: false };
  }
  if (code === 0x2d || code === 0x3f || code === COLON || !plainMayStart(code, 0)) decline();
  return plainKey(flowPlain(cursor), start);
}

function flowNode(cursor: YamlCursor, parent: number): TreeNode {
  const props = cursor.props();
  const code = cursor.code();
  if (code === OPEN_SEQ || code === OPEN_MAP) return readFlowCollection(cursor, parent, props);
  if (code === 0x2a) return cursor.alias(props);
  if (code === 0x22 || code === 0x27) return cursor.quoted(parent, props);
  if (code === NL || Number.isNaN(code)) decline();
  if (code === 0x3f || code === COLON || !plainMayStart(code, cursor.code(cursor.pos + 1))) decline();
  const start = cursor.pos;
  return cursor.scalar(start, typePlain(flowPlain(cursor)), props);
}

/**
 * A plain scalar inside a flow collection, on one line: it ends at a flow indicator, at a `:`
 * followed by a blank or a flow indicator, at a comment, or at the end of the line.
 */
function flowPlain(cursor: YamlCursor): string {
  const { text } = cursor;
  const start = cursor.pos;
  FLOW_PLAIN_END.lastIndex = start;
  let end = FLOW_PLAIN_END.exec(text)?.index ?? text.length;
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  cursor.pos = end;
  return text.slice(start, end);
}

/** What ends a plain scalar in a flow collection. */
const FLOW_PLAIN_END = /[\n,[\]{}]|:(?=[ \n,[\]{}]|$)| #/g;

/** Blanks, comments and line breaks inside a flow collection; lines must stay indented under it. */
function skipFlowSpace(cursor: YamlCursor, parent: number): void {
  const { text } = cursor;
  for (;;) {
    const code = cursor.code();
    if (code === SPACE) {
      cursor.pos++;
    } else if (code === NL) {
      cursor.pos++;
      cursor.lineStart = cursor.pos;
      let p = cursor.pos;
      while (text.charCodeAt(p) === SPACE) p++;
      const next = text.charCodeAt(p);
      const indent = p - cursor.lineStart;
      if (indent === 0 && cursor.isDocumentMarker(p)) decline();
      // Lines inside are indented more than the block holding the collection; its closing bracket
      // may also sit at the block's own indentation.
      const closing = cursor.flowDepth === 1 && (next === CLOSE_SEQ || next === CLOSE_MAP);
      if (next !== NL && next !== HASH && (closing ? indent < parent : indent <= parent)) decline();
    } else if (code === HASH) {
      if (cursor.pos > cursor.lineStart && cursor.code(cursor.pos - 1) !== SPACE) decline();
      const end = text.indexOf('\n', cursor.pos);
      if (end === -1) decline();
      cursor.pos = end;
    } else {
      if (Number.isNaN(code)) decline();
      return;
    }
  }
}
