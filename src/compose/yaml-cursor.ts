import { OutsideFastPath } from './yaml-tree.js';
import type { TreeAlias, TreeKey, TreeNode, TreeProps, TreeScalar, TreeTag } from './yaml-tree.js';
import { doubleQuotedValue, typePlain, unfoldLines } from './yaml-scalars.js';

export const NL = 0x0a;
export const SPACE = 0x20;
export const HASH = 0x23;
export const COLON = 0x3a;
export const COMMA = 0x2c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const AMP = 0x26;
const STAR = 0x2a;
const BANG = 0x21;

const DOUBLE_QUOTED_SPECIAL = /["\\\n]/g;
const SINGLE_QUOTED_SPECIAL = /['\n]/g;

const DECLINED = new OutsideFastPath('outside what the fast YAML reader reads');

/** Gives the file up to the `yaml` package. */
export function decline(): never {
  throw DECLINED;
}

/** `,[]{}`: the characters that end a scalar inside a flow collection. */
export function isFlowIndicator(code: number): boolean {
  return code === COMMA || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d;
}

/** A space, a line break, or the end of the text. */
export function isBreakOrBlank(code: number): boolean {
  return code === SPACE || code === NL || Number.isNaN(code);
}

/**
 * The position in the text and what every part of the reader shares: moving over blanks, comments
 * and lines, node properties, aliases and quoted scalars. Offsets are UTF-16 indexes into `text`;
 * `lineStart` is the offset of the line `pos` is on.
 */
export class YamlCursor {
  pos = 0;
  lineStart = 0;
  /** How many flow collections `pos` is inside. */
  flowDepth = 0;
  /** Each anchor's latest node, so an alias repeats the last node before it with that name. */
  private readonly anchors = new Map<string, TreeNode>();

  constructor(readonly text: string) {}

  code(offset = this.pos): number {
    return this.text.charCodeAt(offset);
  }

  column(): number {
    return this.pos - this.lineStart;
  }

  skipSpaces(): void {
    while (this.text.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  /** After blanks: the end of the line, of the text, or a comment (which needs a blank before it). */
  atLineEnd(): boolean {
    const code = this.code();
    if (code === NL || Number.isNaN(code)) return true;
    if (code !== HASH) return false;
    if (this.pos > this.lineStart && this.code(this.pos - 1) !== SPACE) decline();
    return true;
  }

  /** Consumes the rest of the line, which must hold nothing but blanks and a comment. */
  endLine(): void {
    this.skipSpaces();
    if (!this.atLineEnd()) decline();
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.text.length : end + 1;
    this.lineStart = this.pos;
  }

  /**
   * Moves to the first character of the next line with content, past blank and comment lines, and
   * returns its indentation; -1 at the end of the text. Document markers are left to the library.
   */
  nextContentLine(): number {
    const { text } = this;
    for (;;) {
      let p = this.pos;
      while (text.charCodeAt(p) === SPACE) p++;
      if (p >= text.length) {
        this.pos = text.length;
        return -1;
      }
      const code = text.charCodeAt(p);
      if (code === NL || code === HASH) {
        const end = text.indexOf('\n', p);
        this.pos = end === -1 ? text.length : end + 1;
        this.lineStart = this.pos;
        continue;
      }
      const indent = p - this.lineStart;
      if (indent === 0 && this.isDocumentMarker(p)) decline();
      this.pos = p;
      return indent;
    }
  }

  isDocumentMarker(offset: number): boolean {
    const three = this.text.slice(offset, offset + 3);
    return (three === '---' || three === '...') && isBreakOrBlank(this.code(offset + 3));
  }

  /** `&anchor` and `!reset` / `!override`, in either order, each followed by a blank. */
  props(): TreeProps | undefined {
    let anchor: string | undefined;
    let tag: TreeTag | undefined;
    for (;;) {
      const code = this.code();
      if (code === AMP && anchor === undefined) {
        anchor = this.name();
      } else if (code === BANG && tag === undefined) {
        const name = this.name();
        if (name !== 'reset' && name !== 'override') decline();
        tag = `!${name}`;
      } else {
        break;
      }
      if (this.code() !== SPACE && this.code() !== NL && !Number.isNaN(this.code())) decline();
      this.skipSpaces();
    }
    return anchor === undefined && tag === undefined ? undefined : { anchor, tag };
  }

  /** The name after `&`, `*` or `!`: up to a blank or a flow indicator. */
  private name(): string {
    const start = ++this.pos;
    for (;;) {
      const code = this.code();
      if (isBreakOrBlank(code) || isFlowIndicator(code)) break;
      this.pos++;
    }
    const name = this.text.slice(start, this.pos);
    // A name ending in `:` is ambiguous, and the library reads it its own way.
    if (name === '' || name.endsWith(':')) decline();
    return name;
  }

  /** Records the node an anchor names, before its content is read. */
  anchor(props: TreeProps | undefined, node: TreeNode): void {
    if (props?.anchor !== undefined) this.anchors.set(props.anchor, node);
  }

  alias(props: TreeProps | undefined): TreeAlias {
    if (props !== undefined) decline();
    const start = this.pos;
    const name = this.name();
    const target = this.anchors.get(name);
    if (target === undefined) decline();
    return { kind: 'alias', start, name, target };
  }

  scalar(start: number, value: unknown, props: TreeProps | undefined): TreeScalar {
    const node: TreeScalar = { kind: 'scalar', start, tag: props?.tag, value };
    this.anchor(props, node);
    return node;
  }

  /**
   * A quoted scalar at `pos`, which may span lines, each indented more than `parent`. `pos` ends
   * after the closing quote.
   */
  quoted(parent: number, props: TreeProps | undefined): TreeScalar {
    const start = this.pos;
    const { text } = this;
    const quote = text.charCodeAt(start);
    // The characters that matter inside: the quote, line breaks, and escapes in double quotes.
    const special = quote === DQUOTE ? DOUBLE_QUOTED_SPECIAL : SINGLE_QUOTED_SPECIAL;
    let p = start + 1;
    for (;;) {
      special.lastIndex = p;
      if (special.exec(text) === null) decline();
      p = special.lastIndex - 1;
      const code = text.charCodeAt(p);
      if (code === quote) {
        if (quote === SQUOTE && text.charCodeAt(p + 1) === SQUOTE) {
          p += 2;
          continue;
        }
        break;
      }
      if (code === 0x5c) {
        // An escaped character is skipped; an escaped line break is still a line break.
        p += text.charCodeAt(p + 1) === NL ? 1 : 2;
        continue;
      }
      // A line break: the next line must be indented under the node (an empty line is free).
      this.lineStart = p + 1;
      let q = p + 1;
      while (text.charCodeAt(q) === SPACE) q++;
      if (text.charCodeAt(q) !== NL && q - this.lineStart <= parent) decline();
      if (q === this.lineStart && this.isDocumentMarker(q)) decline();
      p++;
    }
    const source = text.slice(start + 1, p);
    this.pos = p + 1;
    let value: string | undefined;
    if (quote === DQUOTE) value = doubleQuotedValue(source);
    else value = unfoldLines(source).replace(/''/g, "'");
    if (value === undefined) decline();
    return this.scalar(start, value, props);
  }

  /** Whether `pos` starts a node that is an alias, a quoted scalar, or has properties. */
  static opensSpecial(code: number): boolean {
    return code === STAR || code === DQUOTE || code === SQUOTE || code === AMP || code === BANG;
  }
}

const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

/**
 * Whether a plain scalar may start with `code` followed by `next`: not with an indicator, except `-`
 * followed by something other than a blank or a flow indicator.
 */
export function plainMayStart(code: number, next: number): boolean {
  if (code === 0x2d) return !isBreakOrBlank(next) && !isFlowIndicator(next);
  return !INDICATORS.has(code);
}

/** The first character of a continuation line of a plain scalar, read with certainty. */
export function plainMayContinue(code: number): boolean {
  return !INDICATORS.has(code);
}

/** A plain key's name; `<<` is a merge key, and a key the core schema types as no string is refused. */
export function plainKey(text: string, start: number): TreeKey {
  if (text === '<<') return { name: text, start, merge: true };
  const value = typePlain(text);
  if (typeof value !== 'string') decline();
  return { name: value, start, merge: false };
}
