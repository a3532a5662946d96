/*
 * YAML the way the Go tools write it: sigs.k8s.io/yaml turns an object into JSON and then into YAML with go-yaml v2,
 * so map keys come out sorted (go-yaml's order: a non-letter sorts before a letter, runs of digits compare as
 * numbers), sequences are not indented under their key, strings that would read back as another type
 * (`"true"`, `"1.0"`) are double-quoted and other strings that cannot be plain (`'*'`) are single-quoted.
 * `oc adm release extract --credentials-requests` and the installer's manifests are written this way.
 */
import { Document, parseAllDocuments, visit } from 'yaml';

function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** go-yaml v2's key order (yaml.v2 sorter.go, keyList.Less), for string keys. */
export function goYamlKeyCompare(a: string, b: string): number {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i]!;
    const bc = br[i]!;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ac < bc ? -1 : 1;
  }
  return ar.length - br.length;
}

/** A string that YAML 1.1 (go-yaml v2) would read back as a bool, null or number, and so must be quoted. */
function resolvesToNonString(value: string): boolean {
  return (
    /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|)$/.test(
      value,
    ) ||
    /^[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?$/.test(value) ||
    /^[-+]?0x[0-9a-fA-F_]+$/.test(value) ||
    /^[-+]?\.(?:inf|Inf|INF)$/.test(value) ||
    /^\.(?:nan|NaN|NAN)$/.test(value)
  );
}

/** One document, keys sorted, in the Go tools' style; ends with a newline. */
export function toKubeYaml(value: unknown): string {
  const doc = new Document(value, { sortMapEntries: (a, b) => goYamlKeyCompare(String(a.key), String(b.key)) });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && resolvesToNonString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

/** Every document of a multi-document YAML text, as plain data (empty documents are skipped). */
export function parseDocuments(text: string): unknown[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error('not a YAML stream');
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
    const data: unknown = doc.toJS();
    if (data !== null && data !== undefined) out.push(data);
  }
  return out;
}
