/** What a part's XML says, in document order. */
export interface XmlHandlers {
  /**
   * A start tag, or an empty-element tag (`<c r="A1"/>`), which is followed by its `closeTag` at once.
   * `attributes` is good only during the call.
   */
  openTag(name: string, attributes: Attributes): void;
  /** Character data, entities and CDATA sections resolved, line ends as `\n`; one node may come in pieces. */
  text(text: string): void;
  closeTag(name: string): void;
}

/** A tag's attributes, by their name as written (`hidden`, `x14ac:dyDescent`). */
export interface Attributes {
  get(name: string): string | undefined;
}

/** The part's XML breaks the rules: a character XML may not hold, tags that do not match, a part cut short. */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Characters XML 1.0 does not allow anywhere (controls but tab and line ends, U+FFFE, U+FFFF). */
const DISALLOWED = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const ENTITY = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][\w.-]*)?;?/g;
/** What ends a closing tag's name before its `>`: a `<` or white space (trailing white space is trimmed first). */
const CLOSING_NAME_BREAK = /[<\s]/;
/**
 * The longest tag, comment, CDATA section or processing instruction read, in characters: a cell holds
 * at most 32,767 (Excel's limit), and no workbook part holds a longer one.
 */
const MAX_OPEN_SECTION = 1024 * 1024;
/** Longer than any entity or character reference (`&#x10FFFF;`, `&quot;`): an `&` further back is no reference cut by a chunk's end. */
const LONGEST_ENTITY = 32;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * A streaming XML tokenizer for the parts of a workbook: start and end tags with their attributes,
 * text, CDATA, comments and processing instructions; no DTD (no workbook holds one). Namespace
 * prefixes stay in the names. It checks what a damaged or hand-made part breaks (disallowed
 * characters, unknown entities, tags that do not match or are left open) and throws
 * `XmlSyntaxError` at the first such fault, after handing out everything before it. A tag's
 * attributes are read, and their syntax checked, only when a handler asks for them.
 *
 * Why not saxes (what exceljs uses, and what this replaced): saxes reads a character at a time
 * through a state machine. A workbook's sheet is tags by the million around short texts, so jumping
 * between `<` and `>` with indexOf reads it about three times faster, which made the importer's
 * whole dry run of a 200,000-row workbook about a quarter faster (see `npm run bench`).
 */
export class XmlScanner {
  /** Text after the last complete token: a tag cut by the chunk's end, or text whose end is not seen yet. */
  private tail = '';
  private readonly open: string[] = [];
  private sawRoot = false;
  private failed = false;
  /** The attributes of the tag being handed out (one object, read lazily: most tags' are never asked for). */
  private readonly tag = new TagAttributes((message) => this.fail(message));

  constructor(private readonly handlers: XmlHandlers) {}

  write(chunk: string): void {
    if (this.failed) return;
    const buf = this.tail === '' ? chunk : this.tail + chunk;
    this.tail = '';
    DISALLOWED.lastIndex = 0;
    const bad = DISALLOWED.exec(buf);
    /** Where the first disallowed character is: everything before it is handed out, then the fault. */
    const badAt = bad === null ? Infinity : bad.index;
    const length = buf.length;
    let at = 0;
    while (at < length) {
      const lt = buf.indexOf('<', at);
      if (lt === -1) {
        if (badAt !== Infinity) this.fail('disallowed character.');
        // Text whose end is not in sight: handed out now but for an entity or a CR the next chunk may
        // end (`&am|p;`, CR|LF). Kept whole, text without end (a damaged part) was searched again with
        // every chunk: minutes for tens of megabytes.
        let kept = length;
        const amp = buf.lastIndexOf('&');
        if (amp >= at && amp > length - LONGEST_ENTITY && buf.indexOf(';', amp) === -1) kept = amp;
        if (kept > at && buf.charCodeAt(kept - 1) === 0x0d /* CR */) kept--;
        if (kept > at) this.emitText(buf.slice(at, kept), true);
        this.tail = buf.slice(kept);
        return;
      }
      if (lt > at) {
        if (badAt < lt) this.fail('disallowed character.');
        this.emitText(buf.slice(at, lt), true);
      }
      const end = this.token(buf, lt, badAt);
      if (end === -1) {
        this.tail = buf.slice(lt);
        if (badAt !== Infinity) this.fail('disallowed character.');
        return;
      }
      at = end;
    }
  }

  /** The part is whole: anything left open means it was cut short. */
  close(): void {
    if (this.failed) return;
    if (this.tail.includes('<')) this.fail('unexpected end.');
    if (this.open.length === 0 && this.tail.trim() !== '') this.fail('text data outside of root node.');
    if (this.open.length > 0) this.fail(`unclosed tag: ${this.open[this.open.length - 1]}`);
    if (!this.sawRoot) this.fail('document must contain a root element.');
  }

  /** Reads the token at `lt` (a `<`); returns where it ends, or -1 when the chunk ends first. */
  private token(buf: string, lt: number, badAt: number): number {
    const next = buf.charCodeAt(lt + 1);
    if (Number.isNaN(next)) return -1;
    if (next === 0x2f /* / */) {
      const gt = buf.indexOf('>', lt + 2);
      if (gt === -1) return this.unclosed(buf, lt, 'closing tag');
      if (badAt < gt) this.fail('disallowed character in closing tag.');
      const name = buf.slice(lt + 2, gt).trimEnd();
      // A name holds no `<` nor white space: a damaged part's bytes up to the next `>` (kilobytes,
      // line ends) are no name to quote in the one-line refusal.
      if (CLOSING_NAME_BREAK.test(name)) this.fail('disallowed character in closing tag.');
      const expected = this.open.pop();
      if (expected !== name) this.fail(expected === undefined ? 'unexpected close tag.' : `unmatched closing tag: ${name}.`);
      this.handlers.closeTag(name);
      return gt + 1;
    }
    if (next === 0x3f /* ? */) {
      const end = buf.indexOf('?>', lt + 2);
      if (end === -1) return this.unclosed(buf, lt, 'processing instruction');
      if (badAt < end) this.fail('disallowed character.');
      return end + 2;
    }
    if (next === 0x21 /* ! */) {
      if (buf.startsWith('<!--', lt)) {
        const end = buf.indexOf('-->', lt + 4);
        if (end === -1) return this.unclosed(buf, lt, 'comment');
        if (badAt < end) this.fail('disallowed character.');
        return end + 3;
      }
      if (buf.length - lt < 9) return -1; // `<![CDATA[` not yet told from other declarations
      if (buf.startsWith('<![CDATA[', lt)) {
        const end = buf.indexOf(']]>', lt + 9);
        if (end === -1) return this.unclosed(buf, lt, 'CDATA section');
        if (badAt < end) this.fail('disallowed character.');
        if (this.open.length === 0) this.fail('text data outside of root node.');
        this.emitText(buf.slice(lt + 9, end), false);
        return end + 3;
      }
      this.fail('a document type declaration, which no workbook part holds.');
    }
    return this.openTag(buf, lt, badAt);
  }

  /**
   * -1 (the chunk ends before the tag, comment, CDATA section or processing instruction at `lt` does), or
   * the fault of one left open past `MAX_OPEN_SECTION`: kept whole and searched again with every
   * chunk, one never closed (a damaged part) made the read of what follows it quadratic, a 60 MB
   * sheet minutes before it was refused.
   */
  private unclosed(buf: string, lt: number, what: string): -1 {
    if (buf.length - lt > MAX_OPEN_SECTION) this.fail(`unclosed ${what}.`);
    return -1;
  }

  private openTag(buf: string, lt: number, badAt: number): number {
    const length = buf.length;
    let at = lt + 1;
    let code = 0;
    while (at < length) {
      code = buf.charCodeAt(at);
      if (code === 0x3e /* > */ || code === 0x2f /* / */ || code === 0x3c /* < */ || code <= 0x20) break;
      at++;
    }
    const nameEnd = at;
    // To the tag's end, past quoted values (which may hold a `>`).
    let quote = 0;
    for (; at < length; at++) {
      code = buf.charCodeAt(at);
      if (quote !== 0) {
        if (code === quote) quote = 0;
        else if (code === 0x3c /* < */) this.fail('disallowed character in attribute value.');
      } else if (code === 0x3e /* > */) break;
      else if (code === 0x22 /* " */ || code === 0x27 /* ' */) quote = code;
      else if (code === 0x3c /* < */) this.fail('disallowed character in tag.');
    }
    if (at >= length) return this.unclosed(buf, lt, 'tag');
    if (badAt < at) this.fail('disallowed character.');
    const selfClosing = buf.charCodeAt(at - 1) === 0x2f /* / */;
    const name = buf.slice(lt + 1, nameEnd);
    if (name === '') this.fail('disallowed character in tag name.');
    if (this.open.length === 0) {
      if (this.sawRoot) this.fail('documents may contain only one root.');
      this.sawRoot = true;
    }
    this.tag.set(buf, nameEnd, selfClosing ? at - 1 : at);
    this.handlers.openTag(name, this.tag);
    if (selfClosing) this.handlers.closeTag(name);
    else this.open.push(name);
    return at + 1;
  }

  private emitText(raw: string, parsed: boolean): void {
    let text = raw;
    if (this.open.length === 0) {
      // Between the declaration and the root, or after it: only white space may stand there.
      if (text.trim() !== '') this.fail('text data outside of root node.');
      return;
    }
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    if (parsed && text.includes('&')) text = decodeEntities(text, (message) => this.fail(message));
    this.handlers.text(text);
  }

  private fail(message: string): never {
    this.failed = true;
    throw new XmlSyntaxError(message);
  }
}

/**
 * The attributes of one tag, read from its text when first asked for (entities resolved, white
 * space as spaces): where each name and value lies is noted once, in a buffer used for every tag.
 */
class TagAttributes implements Attributes {
  private source = '';
  private start = 0;
  private end = 0;
  /** Set once the tag's attributes are located: `spans` then holds 4 offsets an attribute (name start and end, value start and end). */
  private located = false;
  private count = 0;
  private spans = new Int32Array(32);

  constructor(private readonly fail: (message: string) => never) {}

  set(source: string, start: number, end: number): void {
    this.source = source;
    this.start = start;
    this.end = end;
    this.located = false;
  }

  get(wanted: string): string | undefined {
    if (!this.located) this.locate();
    const { source, spans } = this;
    for (let i = 0; i < this.count; i++) {
      const nameStart = spans[i * 4]!;
      if (spans[i * 4 + 1]! - nameStart !== wanted.length || !source.startsWith(wanted, nameStart)) continue;
      let value = source.slice(spans[i * 4 + 2]!, spans[i * 4 + 3]!);
      if (value.includes('&')) value = decodeEntities(value, this.fail);
      // Line ends and tabs in an attribute value read as spaces (XML's attribute-value normalization).
      if (value.includes('\n') || value.includes('\r') || value.includes('\t')) value = value.replace(/\r\n|[\r\n\t]/g, ' ');
      return value;
    }
    return undefined;
  }

  private locate(): void {
    const { source, end } = this;
    let at = this.start;
    this.count = 0;
    for (;;) {
      while (at < end && source.charCodeAt(at) <= 0x20) at++;
      if (at >= end) break;
      const eq = source.indexOf('=', at);
      if (eq === -1 || eq >= end) this.fail('attribute without value.');
      let nameEnd = eq;
      while (source.charCodeAt(nameEnd - 1) <= 0x20) nameEnd--;
      const space = source.indexOf(' ', at);
      if (space !== -1 && space < nameEnd) this.fail('no whitespace between attributes.');
      const nameStart = at;
      at = eq + 1;
      while (at < end && source.charCodeAt(at) <= 0x20) at++;
      const quote = source.charCodeAt(at);
      if (quote !== 0x22 && quote !== 0x27) this.fail('unquoted attribute value.');
      const close = source.indexOf(quote === 0x22 ? '"' : "'", at + 1);
      if (this.count * 4 === this.spans.length) {
        const wider = new Int32Array(this.spans.length * 2);
        wider.set(this.spans);
        this.spans = wider;
      }
      const spans = this.spans;
      const slot = this.count++ * 4;
      spans[slot] = nameStart;
      spans[slot + 1] = nameEnd;
      spans[slot + 2] = at + 1;
      spans[slot + 3] = close;
      at = close + 1;
      if (at < end && source.charCodeAt(at) > 0x20) this.fail('no whitespace between attributes.');
    }
    this.located = true;
  }
}

/** `text` with its entity and character references resolved; `fail` hears a reference XML does not define. */
function decodeEntities(text: string, fail: (message: string) => never): string {
  return text.replace(ENTITY, (reference, name: string | undefined) => {
    if (name === undefined || !reference.endsWith(';')) return fail(name === undefined ? 'empty entity name.' : 'malformed character entity.');
    if (name.charCodeAt(0) !== 0x23 /* # */) return NAMED_ENTITIES[name] ?? fail(`undefined entity: ${name}.`);
    const code = name.charCodeAt(1) === 0x78 /* x */ ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    const isChar = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    return isChar ? String.fromCodePoint(code) : fail('malformed character entity.');
  });
}
