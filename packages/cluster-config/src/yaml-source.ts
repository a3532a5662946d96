import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/** A YAML file parsed with source positions, so that a problem can be reported as file:line:col. */
export interface YamlSource {
  /** Path as shown to the user (relative to the workspace root). */
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export interface Position {
  file: string;
  line: number;
  col: number;
}

export type Path = ReadonlyArray<string | number>;

export function parseYamlSource(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  // uniqueKeys: a duplicated key is an error, not a silent "last one wins".
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  return { file, text, doc, lines };
}

export function positionAt(src: YamlSource, offset: number): Position {
  const { line, col } = src.lines.linePos(offset);
  return { file: src.file, line, col };
}

interface Located {
  /** The node the path ends at: the key of a map entry (so the message points at the key), or a sequence item. */
  node: Node | undefined;
  value: Node | undefined;
  /** How many segments of the path exist in the document. */
  depth: number;
}

/** Walks `path` through the document as far as it exists. */
export function locate(src: YamlSource, path: Path): Located {
  let current: unknown = src.doc.contents;
  let found: Located = { node: undefined, value: current as Node | undefined, depth: 0 };
  for (const [i, segment] of path.entries()) {
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      current = pair.value;
      found = { node: pair.key as Node, value: pair.value as Node | undefined, depth: i + 1 };
    } else if (isSeq(current) && typeof segment === 'number' && segment < current.items.length) {
      current = current.items[segment];
      found = { node: current as Node, value: current as Node, depth: i + 1 };
    } else {
      break;
    }
  }
  return found;
}

/** The source text of a node, as written (`4.10`, not the number 4.1). */
export function sourceText(src: YamlSource, node: Node | undefined): string | undefined {
  if (!node?.range) return undefined;
  return src.text.slice(node.range[0], node.range[1]).trim();
}
