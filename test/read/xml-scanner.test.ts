import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { XmlScanner, XmlSyntaxError } from '../../src/read/xml-scanner.js';

// saxes, the XML parser exceljs itself uses (and the one the scanner replaced), is the reference:
// every document is read by both, cut into chunks at every position, and must say the same.
interface SaxesParserLike {
  on(event: 'opentag', handler: (tag: { name: string; attributes: Record<string, string> }) => void): void;
  on(event: 'closetag', handler: (tag: { name: string }) => void): void;
  on(event: 'text' | 'cdata', handler: (text: string) => void): void;
  on(event: 'error', handler: (error: Error) => void): void;
  write(chunk: string): void;
  close(): void;
}
const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
const { SaxesParser } = requireFromExceljs('saxes') as { SaxesParser: new (options?: { position?: boolean }) => SaxesParserLike };

/** The attributes each tag is asked for (what the sheet and shared-string readers ask). */
const ASKED = ['r', 't', 's', 'hidden', 'min', 'max', 'x14ac:dyDescent', 'xml:space', 'missing'];

type Event = string;

/** Text events joined, as a node may come in pieces; whitespace outside the root left out. */
function pushText(events: Event[], depth: number, text: string): void {
  if (depth === 0) return;
  const last = events[events.length - 1];
  if (last?.startsWith('text ')) events[events.length - 1] = `text ${JSON.stringify((JSON.parse(last.slice(5)) as string) + text)}`;
  else events.push(`text ${JSON.stringify(text)}`);
}

function viaSaxes(xml: string): { events: Event[]; error?: string } {
  const events: Event[] = [];
  let error: string | undefined;
  let depth = 0;
  const parser = new SaxesParser({ position: false });
  parser.on('opentag', (tag) => {
    depth++;
    events.push(`open ${tag.name} ${JSON.stringify(ASKED.map((name) => tag.attributes[name] ?? null))}`);
  });
  parser.on('closetag', (tag) => {
    depth--;
    events.push(`close ${tag.name}`);
  });
  parser.on('text', (text) => pushText(events, depth, text));
  parser.on('cdata', (text) => pushText(events, depth, text));
  parser.on('error', (e) => (error ??= e.message));
  parser.write(xml);
  parser.close();
  return error === undefined ? { events } : { events, error };
}

function viaScanner(xml: string, cuts: number[]): { events: Event[]; error?: string } {
  const events: Event[] = [];
  let depth = 0;
  const scanner = new XmlScanner({
    openTag(name, attributes) {
      depth++;
      events.push(`open ${name} ${JSON.stringify(ASKED.map((asked) => attributes.get(asked) ?? null))}`);
    },
    text: (text) => pushText(events, depth, text),
    closeTag(name) {
      depth--;
      events.push(`close ${name}`);
    },
  });
  try {
    let from = 0;
    for (const cut of [...cuts, xml.length]) {
      scanner.write(xml.slice(from, cut));
      from = cut;
    }
    scanner.close();
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    return { events, error: error.message };
  }
  return { events };
}

const WELL_FORMED = [
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2" spans="1:3"><c r="A2" t="s"><v>0</v></c><c r="B2" s="3"><v>45672</v></c></row></sheetData></worksheet>',
  // Namespace prefixes, as the .NET OpenXML SDK writes them; single-quoted values; white space around `=`.
  "<x:worksheet xmlns:x='urn:x'><x:sheetData><x:row r = '7' hidden='1'><x:c r='C7' t='inlineStr'><x:is><x:t xml:space='preserve'> Ana </x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>",
  // Entities and character references in text and attributes; a `>` inside an attribute's value.
  '<sst><si><t>Pérez &amp; Hijos &lt;mamá&gt; &quot;Lupita&quot; &apos;x&apos; &#233;&#xE9; &#x1F600;</t></si><si><t a="1 &gt; 0 &amp; b&#10;c">x</t></si></sst>',
  // CDATA, comments and a processing instruction inside the root; line ends written CRLF and CR.
  '<sst><!-- made by hand --><si><t><![CDATA[a < b & "c"]]></t></si><?pi data?><si><t>línea 1\r\nlínea 2\rlínea 3</t></si><si><t/></si></sst>',
  // A phonetic guide, an empty element with attributes, tabs and line ends in an attribute.
  // A character outside the BMP (two UTF-16 units, which a cut may part) in text and in an attribute.
  '<sst><si><t>Ana 👩‍🏫 López</t></si><x a="🎒"/></sst>',
  '<sst count="2"><si><r><t>漢</t></r><rPh sb="0" eb="1"><t>かん</t></rPh></si><si><t xml:space="preserve">\tsangría\t</t></si><x a="x\ty\nz" /></sst>',
];

const MALFORMED = [
  '<worksheet><sheetData><row r="3"><c r="A3" t="inlineStr"><is><t>Ana\u0001</t></is></c></row></sheetData></worksheet>',
  '<worksheet><sheetData><row r="2"><c r="A2"><v>1</v></c></sheetData></worksheet>',
  '<worksheet><sheetData><row r="2"><c r="A2"><v>1</v></c></row>',
  '<sst><si><t>Ana &nbsp; Luis</t></si></sst>',
  '<sst><si><t>Ana & Luis</t></si></sst>',
  '<sst><si><t>&#1;</t></si></sst>',
  '<sst><si a=1><t>x</t></si></sst>',
  '<sst><si a="<"><t>x</t></si></sst>',
  '<sst><si a b="1"><t>x</t></si></sst>',
  '<sst><si a="1"b="2"><t>x</t></si></sst>',
  '<sst></sst><sst></sst>',
  '<sst>x</sst>tail',
  '</sst>',
  '',
  '<sst><si><t>x</t\n<<t></si></sst>',
  '<sst><si<<x><t>x</t></si></sst>',
];

/** Every way to cut `xml` in two, and in pieces of each length up to 7: chunk ends fall everywhere. */
function cutsOf(xml: string): number[][] {
  const cuts: number[][] = [[]];
  for (let at = 1; at < xml.length; at++) cuts.push([at]);
  for (let size = 1; size <= 7; size++) cuts.push(Array.from({ length: Math.floor((xml.length - 1) / size) }, (_, i) => (i + 1) * size));
  return cuts;
}

describe('XmlScanner', () => {
  it('reads well-formed parts as saxes does, wherever the chunks are cut', () => {
    for (const xml of WELL_FORMED) {
      const expected = viaSaxes(xml);
      expect(expected.error).toBeUndefined();
      for (const cuts of cutsOf(xml)) expect(viaScanner(xml, cuts), JSON.stringify({ xml, cuts })).toEqual(expected);
    }
  });

  it('refuses what saxes refuses, after handing out the same events before the fault', () => {
    for (const xml of MALFORMED) {
      const expected = viaSaxes(xml);
      expect(expected.error, xml).toBeDefined();
      for (const cuts of cutsOf(xml)) {
        const scanned = viaScanner(xml, cuts);
        expect(scanned.error, JSON.stringify({ xml, cuts })).toBeDefined();
        // The text node the fault is in may have been handed out in part before the fault was met.
        const before = scanned.events.at(-1)?.startsWith('text ') ? scanned.events.slice(0, -1) : scanned.events;
        expect(expected.events.slice(0, before.length), JSON.stringify({ xml, cuts })).toEqual(before);
      }
    }
  });

  it('hands out text as it comes, not kept until its end is seen, and refuses a tag left open past 1 MB', () => {
    // Kept whole, text without end (a damaged part) was searched again with every chunk: minutes for tens of MB.
    const texts: string[] = [];
    const scanner = new XmlScanner({ openTag() {}, text: (text) => texts.push(text), closeTag() {} });
    scanner.write('<sst><si><t>');
    for (let i = 0; i < 3; i++) scanner.write('Ñandú '.repeat(1000));
    expect(texts.join('')).toBe('Ñandú '.repeat(3000));
    // What a chunk's end may cut is kept back: an entity's start, a CR before its LF.
    scanner.write('AT&am');
    expect(texts.join('').slice(-2)).toBe('AT');
    scanner.write('p;T\r');
    expect(texts.join('').slice(-4)).toBe('AT&T');
    scanner.write('\nx</t></si></sst>');
    scanner.close();
    expect(texts.join('').slice(-6)).toBe('AT&T\nx');

    const tagged = new XmlScanner({ openTag() {}, text() {}, closeTag() {} });
    tagged.write('<worksheet><row r="');
    expect(() => {
      for (let i = 0; i < 100; i++) tagged.write('9'.repeat(16_384));
    }).toThrow('unclosed tag.');
  });

  it('names a disallowed character as saxes did (the reader quotes it in its message)', () => {
    expect(viaScanner(MALFORMED[0]!, []).error).toBe('disallowed character.');
  });

  it('quotes no damaged bytes as a tag name: the refusal stays one short line', () => {
    // A part that fails to inflate part-way hands out garbage; up to its next `>` it was quoted whole.
    const garbage = '<//\n'.repeat(500);
    expect(viaScanner(`<sst><si><t>x</t${garbage}></si></sst>`, []).error).toBe('disallowed character in closing tag.');
    expect(viaScanner(`<sst><si${garbage}><t>x</t></si></sst>`, []).error).toBe('disallowed character in tag.');
  });

  it('refuses a comment, CDATA section or processing instruction left open once it passes 1 MB, not at the end of the part', () => {
    // Kept whole and searched again with every chunk, one never closed made the rest of the part's read quadratic.
    const rows = '<row r="9"><c r="A9" t="s"><v>0</v></c></row>'.repeat(400);
    const chunks = Array.from({ length: 200 }, () => rows);
    for (const [opening, what] of [['<?pi ', 'processing instruction'], ['<!-- ', 'comment'], ['<c><v><![CDATA[', 'CDATA section']] as const) {
      const scanner = new XmlScanner({ openTag() {}, text() {}, closeTag() {} });
      scanner.write(`<worksheet><sheetData>${opening}`);
      let error: unknown;
      let written = 0;
      try {
        for (const chunk of chunks) {
          scanner.write(chunk);
          written++;
        }
      } catch (caught) {
        error = caught;
      }
      expect(error, what).toBeInstanceOf(XmlSyntaxError);
      expect((error as Error).message).toBe(`unclosed ${what}.`);
      expect(written * rows.length).toBeLessThan(1024 * 1024 + rows.length);
    }
  });

  it('refuses a document type declaration, which could define entities no workbook part has', () => {
    expect(viaScanner('<!DOCTYPE sst [<!ENTITY x "y">]><sst><si><t>&x;</t></si></sst>', []).error).toMatch(/document type declaration/);
  });
});
