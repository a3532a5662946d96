import { readFileSync, statSync } from 'node:fs';
import { MAX_CONFIG_FILE_BYTES } from './layout.ts';

/*
 * The sts name a cluster.yaml claims, read without a YAML parser, for the graph plugin: it reads every cluster.yaml
 * while Nx builds the project graph, and parsing 1,000 of them with `yaml` cost about as much as the whole graph
 * without them (`npm run bench:graph`). Light on purpose: no yaml, no zod.
 *
 * The claim (see stsNameClaim in sts-name-claim.ts, which parses and is the reference): `credentials.sts_name` when
 * it is a string; the cluster's name (its folder) when the file has no `credentials.sts_name`; nothing when the file
 * does not parse, is not a mapping, or sets `sts_name` to something other than a string (its own render fails).
 * `sts_name` may not come from clusters/defaults.yaml (render refuses it there), and the claim holds whatever the
 * cco_mode, as `leftovers` counts it: so the claim depends on the cluster.yaml alone.
 *
 * This scanner understands only a plain subset of YAML, each line on its own: keys of letters, digits and `_`; plain
 * scalars without spaces, flow indicators, quotes or `#`; quoted scalars without escapes; one-line flow sequences and
 * flow mappings of those; comments; block mappings by indentation. In that subset nothing spans lines (no block
 * scalar `|` `>`, no multi-line quoted or flow node, no anchor, alias, tag, directive or explicit key), so a line is
 * what it looks like, and the structure of a file that parses follows from the indentation alone. Anything outside
 * the subset, or a question the subset cannot settle (a duplicate `credentials` or `sts_name`, a plain value that
 * YAML might read as a number, null or boolean), is UNSURE: the caller parses that file fully. Sure answers equal
 * stsNameClaim's for every file that parses (sts-name-scan.spec.ts checks both on a corpus of odd files).
 */

/** The scanner cannot tell: parse the file (stsNameClaim). */
export const UNSURE = Symbol('unsure');

export type StsNameScan = string | undefined | typeof UNSURE;

/** A line longer than this is left to the parser: the scanner's patterns must stay cheap on any input. */
const MAX_LINE = 4096;

// Plain keys as cluster.yaml writes them, tags' keys among them (`cost-center`, `team/name`, `example.com/x`).
const KEY = String.raw`[A-Za-z_][A-Za-z0-9_./-]*`;
// No spaces (so never `: ` inside), no flow indicators, quotes, `#`, `&`, `*`, `!`, `|`, `>`, `%`, `?`, and no
// trailing `:` (which would make it a key).
const PLAIN = String.raw`[A-Za-z0-9_./][A-Za-z0-9_./:@+=~-]*(?<!:)`;
// No `\r` inside: a lone one is a line break to YAML (the scanner splits lines at `\n` and `\r\n` only).
const DOUBLE_QUOTED = String.raw`"[^"\\\r]*"`;
const SINGLE_QUOTED = String.raw`'[^'\r]*'`;
const SCALAR = `(?:${PLAIN}|${DOUBLE_QUOTED}|${SINGLE_QUOTED})`;
const FLOW_SEQ = String.raw`\[ *(?:${SCALAR}(?: *, *${SCALAR})* *,? *)?\]`;
const FLOW_VALUE = `(?:${SCALAR}|${FLOW_SEQ})`;
const FLOW_MAP = String.raw`\{ *(?:${KEY}: +${FLOW_VALUE}(?: *, *${KEY}: +${FLOW_VALUE})* *,? *)?\}`;
const VALUE = `(?:${SCALAR}|${FLOW_SEQ}|${FLOW_MAP})`;
const COMMENT = String.raw`(?: +#.*)?`;

const BLANK_LINE = /^ *(?:#.*)?$/;
const KEY_LINE = new RegExp(`^( *)(${KEY}):(?: +(${VALUE}))?${COMMENT}$`);
const ITEM_LINE = new RegExp(`^( *)- +${VALUE}${COMMENT}$`);
/** One `key: value` of a flow mapping, and the separator after it; sticky, so pairs are read one after another. */
const FLOW_PAIR = new RegExp(`(${KEY}): +(${FLOW_VALUE}) *(?:, *)?`, 'y');

interface Line {
  indent: number;
  /** Undefined for a sequence item. */
  key?: string;
  /** As written; undefined when the key has no value on its line. */
  value?: string;
}

/** The lines of the subset, or UNSURE when a line is outside it. Blank and comment lines are left out. */
function linesOf(text: string): Line[] | typeof UNSURE {
  const lines: Line[] = [];
  // Windows line ends (a checkout with core.autocrlf) are line ends; a byte order mark at the start is nothing.
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (raw.length > MAX_LINE) return UNSURE;
    if (BLANK_LINE.test(raw)) continue;
    const keyed = KEY_LINE.exec(raw);
    if (keyed) {
      lines.push({ indent: keyed[1]!.length, key: keyed[2]!, value: keyed[3] });
      continue;
    }
    const item = ITEM_LINE.exec(raw);
    if (!item) return UNSURE;
    lines.push({ indent: item[1]!.length });
  }
  return lines;
}

/**
 * A scalar as the string YAML reads, UNSURE when YAML might read it as something else (a number, null, a boolean),
 * or undefined for what is not a scalar (a flow collection: no sts name).
 */
function stringOf(written: string): string | undefined | typeof UNSURE {
  if (written.startsWith('"') || written.startsWith("'")) return written.slice(1, -1);
  if (written.startsWith('[') || written.startsWith('{')) return undefined;
  // A plain scalar starting with a lowercase letter is a string in YAML 1.2's core schema, except these three.
  return /^[a-z][a-z0-9-]*$/.test(written) && !['null', 'true', 'false'].includes(written) ? written : UNSURE;
}

/** `sts_name` of a one-line flow mapping: UNSURE for a duplicate, undefined when absent (the mapping has none). */
function fromFlowMapping(written: string): { found: boolean; value: string | undefined | typeof UNSURE } {
  const inner = written.slice(1, -1).trim();
  let found: string[] = [];
  FLOW_PAIR.lastIndex = 0;
  while (FLOW_PAIR.lastIndex < inner.length) {
    const start = FLOW_PAIR.lastIndex;
    const pair = FLOW_PAIR.exec(inner);
    if (!pair || FLOW_PAIR.lastIndex === start) return { found: true, value: UNSURE };
    if (pair[1] === 'sts_name') found = [...found, pair[2]!];
  }
  if (found.length > 1) return { found: true, value: UNSURE };
  return found.length ? { found: true, value: stringOf(found[0]!) } : { found: false, value: undefined };
}

/**
 * The sts name `text` (a cluster.yaml of the cluster `clusterName`) claims, undefined for none, or UNSURE. Never
 * throws.
 */
export function scanStsName(text: string, clusterName: string): StsNameScan {
  // Over the limit, render refuses the file before reading it: it claims nothing (as stsNameClaim says).
  if (text.length > MAX_CONFIG_FILE_BYTES) return UNSURE;
  const lines = linesOf(text);
  if (lines === UNSURE) return UNSURE;
  if (lines.length === 0) return undefined; // no content: an empty document, not a mapping
  // The top level is a block mapping at column 0 (an item there, or an indented first line, is left to the parser).
  if (lines[0]!.indent !== 0 || lines.some((l) => l.indent === 0 && l.key === undefined)) return UNSURE;
  const at = lines.flatMap((l, i) => (l.indent === 0 && l.key === 'credentials' ? [i] : []));
  if (at.length === 0) return clusterName;
  if (at.length > 1) return UNSURE;
  const credentials = lines[at[0]!]!;
  if (credentials.value !== undefined) {
    if (!credentials.value.startsWith('{')) return clusterName; // a scalar or a list: no sts_name in it
    const { found, value } = fromFlowMapping(credentials.value);
    return found ? value : clusterName;
  }
  // A block: the lines up to the next top-level key. Its entries are the keys at the first line's indentation.
  const end = lines.findIndex((l, i) => i > at[0]! && l.indent === 0);
  const block = lines.slice(at[0]! + 1, end === -1 ? undefined : end);
  if (block.length === 0) return clusterName; // `credentials:` alone is null: no sts_name
  const indent = block[0]!.indent;
  if (block[0]!.key === undefined) return clusterName; // a sequence
  if (block.some((l) => l.indent < indent || (l.indent === indent && l.key === undefined))) return UNSURE;
  const entries = block.filter((l) => l.indent === indent && l.key === 'sts_name');
  if (entries.length === 0) return clusterName;
  if (entries.length > 1) return UNSURE;
  const entry = entries[0]!;
  // No value on its line: null, or a nested block under it; neither is a string.
  return entry.value === undefined ? undefined : stringOf(entry.value);
}

/**
 * The text of the cluster.yaml at `path` (absolute), for its claim; undefined when it is gone, unreadable or over the
 * size limit (render refuses it before reading it): such a file claims nothing. Never throws.
 */
export function readClaimText(path: string): string | undefined {
  try {
    return statSync(path).size > MAX_CONFIG_FILE_BYTES ? undefined : readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
