import { COLON, HASH, NL, SPACE, YamlCursor, decline, isBreakOrBlank, plainKey, plainMayContinue, plainMayStart } from './yaml-cursor.js';
import { readFlowCollection } from './yaml-flow-reader.js';
import { blockScalarValue, typePlain, unfoldLines } from './yaml-scalars.js';
import type { BlockLine } from './yaml-scalars.js';
import { OutsideFastPath } from './yaml-tree.js';
import type { TreeKey, TreeMap, TreeNode, TreeProps, TreeSeq } from './yaml-tree.js';

const DASH = 0x2d;
const PIPE = 0x7c;
const GT = 0x3e;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** What ends a plain key (`:` before a blank), or shows the line holds none. */
const KEY_END = /:(?=[ \n]|$)| #|\n/g;
/**
 * `key: value` on one line: a key of word characters, dots and dashes, and a plain value that
 * starts with no indicator and holds no comment, no `: ` and no final `:`.
 */
const SIMPLE_ENTRY = /([A-Za-z_][\w.-]*) *: +([^\s#'"&*!|>%@`[\]{},?:-](?:[^\n#:]|:(?![ \n]|$))*)(?=\n|$)/y;
/** What ends the content of a line in a block: a comment or the line break. */
const CONTENT_END = / #|\n/g;

// Characters the reader leaves to the `yaml` package wherever they are: tabs, carriage returns,
// other control characters, byte order marks, Unicode line separators and lone surrogates.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNREADABLE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\u{D800}-\u{DFFF}]/u;

/**
 * Reads the YAML of a compose file the common way it is written (block mappings and sequences, flow
 * collections, plain, quoted and block scalars, anchors, aliases, merge keys, `!reset` and
 * `!override`) into a tree, several times faster than the `yaml` package builds its documents.
 * Returns `undefined` for anything else, and for every text with an error: those are read by the
 * `yaml` package, which reports the error. The tree holds one document whose top is a mapping.
 */
export function readYamlTree(text: string): TreeMap | undefined {
  if (UNREADABLE.test(text)) return undefined;
  try {
    return new BlockReader(text).document();
  } catch (err) {
    if (err instanceof OutsideFastPath) return undefined;
    throw err;
  }
}

/** How a node sits: on its own line, or after `key:`, `- ` or its properties on the same line. */
type Placement = 'own-line' | 'after-key' | 'after-dash' | 'after-props';

class BlockReader extends YamlCursor {
  document(): TreeMap {
    this.skipDocumentStart();
    if (this.nextContentLine() < 0) decline();
    const root = this.node(-1, undefined, 'own-line');
    if (root.kind !== 'map' || this.nextContentLine() !== -1) decline();
    return root;
  }

  /** A `---` line alone may open the document, after blank and comment lines. */
  private skipDocumentStart(): void {
    const { text } = this;
    let p = 0;
    for (;;) {
      let q = p;
      while (text.charCodeAt(q) === SPACE) q++;
      const code = text.charCodeAt(q);
      if (code !== NL && code !== HASH) break;
      const end = text.indexOf('\n', q);
      if (end === -1) return;
      p = end + 1;
    }
    if (!text.startsWith('---', p) || !isBreakOrBlank(text.charCodeAt(p + 3))) return;
    this.pos = p + 3;
    this.lineStart = p;
    this.endLine();
  }

  /** The node whose first character is at `pos`, inside a block indented `parent`. */
  private node(parent: number, props: TreeProps | undefined, placement: Placement): TreeNode {
    const code = this.code();
    const column = this.column();
    // Block collections may not start on the line of a key, nor after properties on a `- ` line.
    const blockAllowed = placement === 'own-line' || (placement === 'after-dash' && props === undefined);
    if (code === DASH && isBreakOrBlank(this.code(this.pos + 1))) {
      if (!blockAllowed) decline();
      return this.sequence(column, props);
    }
    if (code === 0x5b || code === 0x7b) return this.ending(readFlowCollection(this, parent, props));
    if (code === 0x2a) return this.ending(this.alias(props));
    if (code === DQUOTE || code === SQUOTE) {
      const start = this.pos;
      const lineStart = this.lineStart;
      const scalar = this.quoted(parent, props);
      this.skipSpaces();
      if (this.code() !== COLON || !isBreakOrBlank(this.code(this.pos + 1))) return this.ending(scalar);
      // A quoted key on one line: the node is a mapping.
      if (!blockAllowed || this.lineStart !== lineStart) decline();
      this.pos = start;
      return this.mapping(column, props);
    }
    if (code === PIPE || code === GT) return this.blockScalar(parent, props);
    if (!plainMayStart(code, this.code(this.pos + 1))) decline();
    if (this.keyAhead()) {
      if (!blockAllowed) decline();
      return this.mapping(column, props);
    }
    return this.plain(parent, props);
  }

  /** A node that must end its line, and may not be a key. */
  private ending<T extends TreeNode>(node: T): T {
    this.skipSpaces();
    if (this.code() === COLON) decline();
    this.endLine();
    return node;
  }

  private mapping(column: number, props: TreeProps | undefined): TreeMap {
    const map: TreeMap = { kind: 'map', start: this.pos, tag: props?.tag, keys: [], values: [] };
    this.anchor(props, map);
    const seen = new Set<string>();
    for (;;) {
      const simple = this.simpleEntry(column);
      const key = simple?.key ?? this.key();
      if (!key.merge) {
        if (seen.has(key.name)) decline();
        seen.add(key.name);
      }
      map.keys.push(key);
      map.values.push(simple?.value ?? this.value(column, true));
      const indent = this.nextContentLine();
      if (indent < column) return map;
      if (indent > column) decline();
    }
  }

  /**
   * The most common entry, read in one step: a plain key and a one-line plain value without a
   * comment (`image: nginx:1.27`). Anything else is read by `key` and `value`; so is this entry when
   * a line after it is indented more than the mapping, which may continue the value.
   */
  private simpleEntry(column: number): { key: TreeKey; value: TreeNode } | undefined {
    const { text } = this;
    const start = this.pos;
    SIMPLE_ENTRY.lastIndex = start;
    const match = SIMPLE_ENTRY.exec(text);
    if (match === null || match[0].length > 1000) return undefined;
    const end = start + match[0].length;
    // The next line with content must not be indented more than the mapping, unless a comment.
    let p = end;
    while (text.charCodeAt(p) === NL || text.charCodeAt(p) === SPACE) p++;
    if (p < text.length && p - (text.lastIndexOf('\n', p - 1) + 1) > column && text.charCodeAt(p) !== HASH) return undefined;
    this.pos = end === text.length ? end : end + 1;
    this.lineStart = this.pos;
    const key = plainKey(match[1] as string, start);
    const value = (match[2] as string).trimEnd();
    return { key, value: this.scalar(-1, typePlain(value), undefined) };
  }

  /** A key on one line and its `:`. */
  private key(): TreeKey {
    const start = this.pos;
    const code = this.code();
    let key: TreeKey;
    if (code === DQUOTE || code === SQUOTE) {
      const lineStart = this.lineStart;
      key = { name: this.quoted(-1, undefined).value as string, start, merge: false };
      if (this.lineStart !== lineStart) decline();
      this.skipSpaces();
    } else {
      // Keys starting with `-`, `?` or `:` are left to the library.
      if (code === DASH || code === 0x3f || code === COLON || !plainMayStart(code, 0)) decline();
      const end = this.keyEnd();
      if (end < 0) decline();
      const text = this.text.slice(start, end).trimEnd();
      this.pos = end;
      key = plainKey(text, start);
    }
    // An implicit key is at most 1024 characters long.
    if (this.code() !== COLON || !isBreakOrBlank(this.code(this.pos + 1)) || this.pos - start > 1000) decline();
    this.pos++;
    return key;
  }

  /** The offset of the `:` ending a plain key on this line, or -1 when the line has none. */
  private keyEnd(): number {
    KEY_END.lastIndex = this.pos;
    const match = KEY_END.exec(this.text);
    return match !== null && match[0] === ':' ? match.index : -1;
  }

  private keyAhead(): boolean {
    return this.keyEnd() >= 0;
  }

  /** What follows `key:` or `-` (at `pos`, right after it): on this line, or on the next ones. */
  private value(column: number, ofKey: boolean): TreeNode {
    this.skipSpaces();
    const props = this.props();
    if (!this.atLineEnd()) return this.node(column, props, ofKey ? 'after-key' : 'after-dash');
    const start = this.pos;
    this.endLine();
    const indent = this.nextContentLine();
    if (indent > column) return props === undefined ? this.propsThenNode(column) : this.node(column, props, 'own-line');
    // A sequence may sit at the indentation of the key it belongs to.
    if (indent === column && ofKey && this.code() === DASH && isBreakOrBlank(this.code(this.pos + 1))) return this.sequence(column, props);
    // An empty sequence item is left to the library, which gives it a position of its own.
    if (!ofKey) decline();
    return this.scalar(start, null, props);
  }

  /** A node on its own lines, which may start with its properties on a line of their own. */
  private propsThenNode(column: number): TreeNode {
    const props = this.props();
    if (props === undefined) return this.node(column, undefined, 'own-line');
    if (!this.atLineEnd()) return this.node(column, props, 'after-props');
    this.endLine();
    if (this.nextContentLine() <= column) decline();
    return this.node(column, props, 'own-line');
  }

  private sequence(column: number, props: TreeProps | undefined): TreeSeq {
    const seq: TreeSeq = { kind: 'seq', start: this.pos, tag: props?.tag, items: [] };
    this.anchor(props, seq);
    for (;;) {
      this.pos++;
      seq.items.push(this.value(column, false));
      const indent = this.nextContentLine();
      if (indent > column) decline();
      if (indent < column || this.code() !== DASH || !isBreakOrBlank(this.code(this.pos + 1))) return seq;
    }
  }

  /**
   * A plain scalar in a block: its first line, and the lines after it that are indented more than
   * `parent`, folded. Continuation lines that could read as anything else are left to the library.
   */
  private plain(parent: number, props: TreeProps | undefined): TreeNode {
    const { text } = this;
    const start = this.pos;
    let end = this.lineContentEnd(start);
    let multiLine = false;
    // A comment ends the scalar; so does a line indented no more than its block, or the text's end.
    let lineEnd = this.commentFollows(end) ? -1 : text.indexOf('\n', end);
    while (lineEnd !== -1) {
      let lineStart = lineEnd + 1;
      let p = lineStart;
      for (;;) {
        while (text.charCodeAt(p) === SPACE) p++;
        if (text.charCodeAt(p) !== NL) break;
        lineStart = p + 1;
        p = lineStart;
      }
      const code = text.charCodeAt(p);
      if (Number.isNaN(code) || p - lineStart <= parent || code === HASH) break;
      if (!plainMayContinue(code)) decline();
      const contentEnd = this.lineContentEnd(p);
      if (this.keyEndFrom(p) >= 0 || this.commentFollows(contentEnd)) decline();
      end = contentEnd;
      multiLine = true;
      lineEnd = text.indexOf('\n', end);
    }
    const source = text.slice(start, end);
    this.pos = end;
    this.lineStart = text.lastIndexOf('\n', end - 1) + 1;
    this.endLine();
    return this.scalar(start, typePlain(multiLine ? unfoldLines(source) : source), props);
  }

  /** Where the content of the line at `from` ends: before a comment and trailing blanks. */
  private lineContentEnd(from: number): number {
    const { text } = this;
    CONTENT_END.lastIndex = from;
    let p = CONTENT_END.exec(text)?.index ?? text.length;
    while (p > from && text.charCodeAt(p - 1) === SPACE) p--;
    return p;
  }

  private commentFollows(from: number): boolean {
    let p = from;
    while (this.text.charCodeAt(p) === SPACE) p++;
    return this.text.charCodeAt(p) === HASH;
  }

  private keyEndFrom(from: number): number {
    const saved = this.pos;
    this.pos = from;
    const end = this.keyEnd();
    this.pos = saved;
    return end;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar, clipped or stripped (`-`). Kept chomping (`+`),
   * indentation indicators, lines of blanks and a last line without a line break are left to the
   * library.
   */
  private blockScalar(parent: number, props: TreeProps | undefined): TreeNode {
    const { text } = this;
    const start = this.pos;
    const folded = this.code() === GT;
    this.pos++;
    const strip = this.code() === DASH;
    if (strip) this.pos++;
    if (!isBreakOrBlank(this.code())) decline();
    this.endLine();
    const lines: BlockLine[] = [];
    let indent = -1;
    let last = 0;
    // Lines of blanks count only between lines with content: before or after them, the library's
    // reading depends on more than this reader looks at.
    let blanksSinceContent = false;
    while (this.pos < text.length) {
      let p = this.pos;
      while (text.charCodeAt(p) === SPACE) p++;
      const code = text.charCodeAt(p);
      if (code === NL || Number.isNaN(code)) {
        if (p > this.pos) {
          if (indent < 0) decline();
          blanksSinceContent = true;
        }
        lines.push([p - this.pos, '']);
        this.pos = Math.min(p + 1, text.length);
        this.lineStart = this.pos;
        continue;
      }
      const lineIndent = p - this.pos;
      if (lineIndent <= parent) break;
      if (indent < 0) indent = lineIndent;
      else if (lineIndent < indent) decline();
      const lineEnd = text.indexOf('\n', p);
      if (lineEnd === -1) decline();
      lines.push([lineIndent, text.slice(p, lineEnd)]);
      last = lines.length;
      blanksSinceContent = false;
      this.pos = lineEnd + 1;
      this.lineStart = this.pos;
    }
    if (blanksSinceContent) decline();
    return this.scalar(start, blockScalarValue(lines.slice(0, last), indent, folded, strip), props);
  }
}
