import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';

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

/**
 * More aliases than this are refused before they are resolved: yaml looks up each alias's anchor among all the
 * anchors and aliases before it (quadratic: 40,000 took 14 s), and a cluster.yaml needs a handful at most.
 */
export const MAX_ALIASES = 100;

export function parseYamlSource(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  // uniqueKeys off: yaml compares each key with every earlier key of its mapping, which is quadratic in the size of
  // a mapping (100,000 keys took minutes). duplicateKeys() finds them with one set per mapping instead.
  // yaml makes an Error for every problem it finds, and capturing the stack of each was the largest cost of a file
  // with many of them (a tab on each of 90,000 lines); no one reads those stacks.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, strict: true });
    return { file, text, doc, lines };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
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

/** Each mapping's entries by key, built on the first lookup: locating many problems must not rescan a mapping. */
const entriesByKey = new WeakMap<YAMLMap, Map<string, Pair>>();

function entryOf(map: YAMLMap, key: string): Pair | undefined {
  let entries = entriesByKey.get(map);
  if (!entries) {
    entries = new Map();
    for (const pair of map.items) {
      // The first of duplicated keys, as a scan would find it (duplicates are reported before anything is located).
      if (isScalar(pair.key) && !entries.has(String(pair.key.value))) entries.set(String(pair.key.value), pair);
    }
    entriesByKey.set(map, entries);
  }
  return entries.get(key);
}

/** Walks `path` through the document as far as it exists. */
export function locate(src: YamlSource, path: Path): Located {
  let current: unknown = src.doc.contents;
  let found: Located = { node: undefined, value: current as Node | undefined, depth: 0 };
  for (const [i, segment] of path.entries()) {
    if (isMap(current)) {
      const pair = entryOf(current, String(segment));
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

/** A node found by walkNodes, with the path that leads to it. */
export interface Visited {
  node: Node;
  path: Path;
}

/**
 * Every node of the document in document order (each entry's key before its value), with its path, in one pass
 * over the nodes. No recursion, so that a deeply nested file cannot exhaust the stack.
 */
export function* walkNodes(src: YamlSource): Generator<Visited> {
  const root = src.doc.contents;
  if (!root) return;
  const stack: Visited[] = [{ node: root, path: [] }];
  while (stack.length) {
    const visited = stack.pop()!;
    yield visited;
    const { node, path } = visited;
    const children: Visited[] = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        const segment = isScalar(pair.key) ? String(pair.key.value) : '?';
        if (pair.key && !isScalar(pair.key)) children.push({ node: pair.key as Node, path: [...path, segment] });
        if (pair.value) children.push({ node: pair.value as Node, path: [...path, segment] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (item) children.push({ node: item as Node, path: [...path, i] });
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** Keys written twice in the same mapping: the later one of each, with its path and offset. */
export function duplicateKeys(src: YamlSource): { path: Path; offset: number }[] {
  const found: { path: Path; offset: number }[] = [];
  for (const { node, path } of walkNodes(src)) {
    if (!isMap(node)) continue;
    // yaml's own test for equal keys: scalars with the same value (a Set compares as ===).
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      if (seen.has(pair.key.value)) {
        found.push({ path: [...path, String(pair.key.value)], offset: pair.key.range?.[0] ?? 0 });
      }
      seen.add(pair.key.value);
    }
  }
  return found;
}

/** Every alias of the document in document order, and whether an anchor of its name comes before it. */
export function aliasesOf(src: YamlSource): { path: Path; offset: number; source: string; resolved: boolean }[] {
  const anchors = new Set<string>();
  const found: { path: Path; offset: number; source: string; resolved: boolean }[] = [];
  for (const { node, path } of walkNodes(src)) {
    if (isAlias(node)) {
      found.push({ path, offset: node.range?.[0] ?? 0, source: node.source, resolved: anchors.has(node.source) });
    } else if (node.anchor) {
      anchors.add(node.anchor);
    }
  }
  return found;
}
