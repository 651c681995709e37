// XML → a small element tree, for the frab readers. Strict XML 1.0 only: what could hurt
// (DOCTYPEs, entities) is refused rather than resolved.
import { SaxesParser } from 'saxes';
import { ImportError } from '../../programme/sync.ts';
import { textFault } from '../../../unicode.ts';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (and CDATA), not its children's. */
  text: string;
}

const PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * XML 1.0 itself refuses most control characters and references to them (&#x0;, &#xD800;: a
 * "malformed character entity"), but lets DEL through: texts of a file are held to the rule
 * every text written through the site is, and the file is refused naming the line.
 */
function refuseFaultyText(text: string, line: number): void {
  const fault = textFault(text);
  if (fault === null) return;
  const what = fault.code === 'lone-surrogate' ? 'half of a UTF-16 surrogate pair alone' : `the control character ${fault.params.character}`;
  throw new ImportError(`the file holds ${what} (line ${line}), which text may not carry: remove it and import the file again`);
}

/** Parses strict XML 1.0 into a tree; refuses DOCTYPEs, entities, other encodings and other roots. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [document];
  let sawRoot = false;

  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && !/^utf-?8$/i.test(decl.encoding)) {
      throw new ImportError(`the file declares the encoding "${decl.encoding}"; only UTF-8 is accepted: save it as UTF-8 and import it again`);
    }
  });
  // A DOCTYPE can declare entities that read local files or expand without end: refused as
  // soon as it is seen, before anything it declares could be used.
  parser.on('doctype', () => {
    throw new ImportError(`the file has a DOCTYPE (line ${parser.line}); DOCTYPEs and entities are refused`);
  });
  parser.on('opentag', (tag) => {
    if (!sawRoot) {
      sawRoot = true;
      if (tag.name !== 'schedule') throw new ImportError(`the root element is <${tag.name}>, not <schedule>: this is not a frab schedule.xml file`);
    }
    for (const value of Object.values(tag.attributes)) refuseFaultyText(value, parser.line);
    const element: XmlElement = { name: tag.name, attributes: { ...tag.attributes }, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => { stack.pop(); });
  parser.on('text', (text) => { refuseFaultyText(text, parser.line); stack[stack.length - 1]!.text += text; });
  parser.on('cdata', (text) => { refuseFaultyText(text, parser.line); stack[stack.length - 1]!.text += text; });

  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const message = (error as Error).message.replace(/^\d+:\d+: /, '');
    const where = `line ${parser.line}, column ${parser.column}`;
    if (/undefined entity/.test(message)) {
      let entity = '';
      for (const m of xml.matchAll(/&([A-Za-z_:][\w.:-]*);/g)) {
        if (!PREDEFINED_ENTITIES.has(m[1]!)) { entity = ` &${m[1]};`; break; }
      }
      throw new ImportError(`the file uses the undefined entity${entity} (${where}); entities are never resolved: write the character itself`);
    }
    throw new ImportError(`the file is not well-formed XML: ${message.replace(/\.$/, '')} (${where})`);
  }
  const root = document.children[0];
  if (!root) throw new ImportError('the file has no root element: this is not a frab schedule.xml file');
  return root;
}

export const childrenNamed = (element: XmlElement, name: string) => element.children.filter((c) => c.name === name);
export const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);
/** The trimmed one-line text of a child element, '' when it is missing or empty. */
export const line = (element: XmlElement, name: string) => oneLine(child(element, name)?.text ?? '');
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
export const hasContent = (e: XmlElement) => e.text.trim() !== '' || e.children.length > 0 || Object.keys(e.attributes).length > 0;
/** An attribute's value, trimmed; '' when it is missing. */
export const attribute = (e: XmlElement, name: string) => (e.attributes[name] ?? '').trim();
