/**
 * Finding a mis-indented key: YAML reads indentation as structure, so a key de- or over-indented by a space or two
 * is either a syntax error the parser reports somewhere after the mistake, or a valid document of another shape (a
 * field that lands in the wrong mapping). Both are found the same way: the one line whose re-indentation — to the
 * column of a key near it — makes the file read, and (when the caller can tell) makes it the document it should be.
 * Only a single such line is a diagnosis; anything else is no diagnosis at all.
 */
import { parseDocument } from 'yaml';
import { Described, type FleetIssue } from './errors.ts';

/** Files up to this size are searched (a fleet directory's files are a few KiB; a search re-parses once per try). */
const SEARCH_MAX_BYTES = 64 * 1024;

/** Where a syntax error's mistake is looked for: up to this many lines before the parser's position (it reports a
 * mis-indented parent key only where its mapping ends), and two after. */
const LINES_BEFORE = 24;
const LINES_AFTER = 2;

/** The document as plain data is the one the file should hold (its schema accepts it). */
export type Accept = (value: unknown) => boolean;

/**
 * What the reader of a file knows of its shape: whether a value is the document it should be, and whether a value
 * that is not looks like a document of another shape (unknown fields, missing mappings: what a mis-indented key gives).
 */
export interface ShapeCheck {
  readonly accepts: Accept;
  readonly misshapen: (value: unknown) => boolean;
}

export interface IndentationRepair {
  /** 1-based line of the mis-indented key. */
  readonly line: number;
  /** Its indentation, and the one of the keys it belongs with. */
  readonly indent: number;
  readonly siblings: number;
  readonly text: string;
}

/** `  key: …` or `  - key: …` (the first key of a list item): its column is the key's. */
const KEY_LINE = /^( *(?:- +)?)([^\s#\-"'][^:#]*?):(\s|$)/;

function keyIndent(line: string): number | undefined {
  const match = KEY_LINE.exec(line);
  return match ? match[1]!.length : undefined;
}

/** `line` with its key at `column` (a list item's dash moves with it). */
function reindent(line: string, column: number): string {
  const dash = /^ *(- +)/.exec(line)?.[1] ?? '';
  return ' '.repeat(Math.max(0, column - dash.length)) + line.trimStart();
}

/** A re-parse of `text` has no syntax error, and `accept` (when given) takes its data. */
function reads(text: string, accept: Accept | undefined): boolean {
  // Duplicate keys are errors here: a "repair" that makes a mapping repeat a key (and so drop one) is none.
  const document = parseDocument(text);
  if (document.errors.length > 0) return false;
  if (!accept) return true;
  try {
    return accept(document.toJS({ maxAliasCount: 100 }));
  } catch {
    return false;
  }
}

/**
 * The single key line (near line `near`, or anywhere) whose re-indentation to the column of a
 * key near it makes `text` read (and be accepted); undefined when there is none, or more than one equally plausible.
 * Of several, the plausible ones put the key one indentation step under the key it then belongs to.
 */
export function findIndentationRepair(text: string, accept?: Accept, near?: number): IndentationRepair | undefined {
  if (text.length > SEARCH_MAX_BYTES || /^\t/m.test(text)) return undefined;
  const lines = text.split('\n');
  const indents = lines.map(keyIndent);
  const keyLines = indents.flatMap((indent, index) => (indent === undefined ? [] : [index]));
  // The file's indentation step: its smallest indentation that more than one key has (one mis-indented key is not it).
  const counts = new Map<number, number>();
  for (const index of keyLines) counts.set(indents[index]!, (counts.get(indents[index]!) ?? 0) + 1);
  const step = Math.min(
    ...[...counts].filter(([indent, count]) => indent > 0 && count > 1).map(([indent]) => indent),
    8,
  );
  const candidates =
    near === undefined
      ? keyLines
      : keyLines.filter((index) => index + 1 >= near - LINES_BEFORE && index + 1 <= near + LINES_AFTER);
  const found: Array<IndentationRepair & { plausible: boolean }> = [];
  for (const index of candidates) {
    const own = indents[index]!;
    // A key named like a JavaScript built-in (`__proto__`) vanishes from plain data: no repair can be judged by it.
    if (KEY_LINE.exec(lines[index]!)![2]!.trim() in Object.prototype) continue;
    // The columns it could have: of a key above it it could belong with (a sibling or a parent's sibling), of the key
    // below it, or one step under the key just above (its first child).
    const position = keyLines.indexOf(index);
    const previous = keyLines[position - 1];
    const next = keyLines[position + 1];
    const above: number[] = [];
    for (let other = position - 1; other >= 0; other--) {
      const column = indents[keyLines[other]!]!;
      if (above.length === 0 || column < above.at(-1)!) above.push(column);
    }
    const near = [
      ...above,
      ...(next === undefined ? [] : [indents[next]!]),
      ...(previous === undefined ? [] : [indents[previous]! + step]),
    ];
    const columns = [...new Set(near)]
      .filter((column) => column !== own)
      .sort((a, b) => Math.abs(a - own) - Math.abs(b - own));
    for (const column of columns) {
      const repaired = [...lines];
      const dash = /^ *(- +)/.exec(lines[index]!)?.[1] ?? '';
      if (column < dash.length) continue;
      repaired[index] = reindent(lines[index]!, column);
      if (!reads(repaired.join('\n'), accept)) continue;
      // The key it then belongs to: the nearest key line above at a smaller column.
      const parent = keyLines.filter((other) => other < index && indents[other]! < column).at(-1);
      const plausible = column === (parent === undefined ? 0 : indents[parent]! + step);
      found.push({ line: index + 1, indent: own, siblings: column, text: lines[index]!.trim(), plausible });
      break;
    }
  }
  const chosen = found.length === 1 ? found : found.filter((repair) => repair.plausible);
  if (chosen.length !== 1) return undefined;
  const { plausible: _plausible, ...repair } = chosen[0]!;
  return repair;
}

/** The issue for a mis-indented key at `repair.line` of `source`. */
export function indentationIssue(repair: IndentationRepair, source: string): FleetIssue {
  const shown = repair.text.length > 60 ? `${repair.text.slice(0, 57)}...` : repair.text;
  const key = /^[^:]*/.exec(repair.text)![0];
  const spaces = (n: number) => `${n} space${n === 1 ? '' : 's'}`;
  return {
    path: `${source}:${repair.line}:${repair.indent + 1}`,
    value: new Described(`a key indented ${spaces(repair.indent)}, unlike the keys it belongs with: ${shown}`),
    expected: `keys of one mapping at one column (here ${spaces(repair.siblings)})`,
    fix: `indent ${key} ${spaces(repair.siblings)}, like its sibling keys (with spaces)`,
    source,
  };
}
