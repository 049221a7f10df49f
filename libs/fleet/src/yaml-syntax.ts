/**
 * A YAML syntax error as one fleet issue in plain words: where (`file:line:column`, at the mistake itself where the
 * parser only notices it later, e.g. the quote that is never closed), what is there, and how to fix it — not the
 * parser's message. Only a file's first syntax error is reported: the parser's later errors follow from it.
 */
import { isCollection, isScalar, visit, type Document, type LineCounter, type YAMLError } from 'yaml';
import { Described, type FleetIssue } from './errors.ts';
import { findIndentationRepair, indentationIssue, type Accept } from './yaml-indentation.ts';

/** Parser errors a mis-indented key causes (reported where the parser gives up, often a line after the mistake). */
const INDENTATION_CLASS = new Set([
  'BAD_INDENT',
  'BLOCK_AS_IMPLICIT_KEY',
  'MULTILINE_IMPLICIT_KEY',
  'UNEXPECTED_TOKEN',
  'MISSING_CHAR',
]);

/** `key: value: more`: a second `key:` really is on the line. */
const TWO_KEYS = /^\s*[^\s#:][^:#]*:\s+[^#]*?\S:(\s|$)/;

/** What is said when the parser's error is none the reader can name with confidence. */
const UNCLASSIFIED: Explanation = {
  got: 'a line YAML cannot read here (no single mis-indented key explains it)',
  fix: 'check the indentation of this line and the lines just above it: keys of one mapping start at one column (spaces only), nested keys further in; each line is `key: value` or `- item`',
};

interface Explanation {
  /** What the file has at that position. */
  readonly got: string;
  readonly fix: string;
  /** Where the mistake starts, when the parser reports it further on (offset in the text). */
  readonly at?: number;
}

/** The innermost node of `document` that starts before `offset` and matches `test` (a scalar or a flow collection). */
function openingBefore(document: Document, offset: number, test: (node: unknown) => boolean): number | undefined {
  let start: number | undefined;
  visit(document, (_key, node) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range && range[0] < offset && test(node) && (start === undefined || range[0] > start)) start = range[0];
  });
  return start;
}

function explain(error: YAMLError, document: Document): Explanation {
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const offset = error.pos[0];
  switch (error.code) {
    case 'MISSING_CHAR':
      if (/quote/.test(message)) {
        const at = openingBefore(
          document,
          offset,
          (node) => isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'),
        );
        return {
          got: 'a quoted value that is never closed',
          fix: 'end the value with the same quote mark it starts with, on that line, or remove the opening quote',
          ...(at === undefined ? {} : { at }),
        };
      }
      return { got: 'a key without a value', fix: 'write it as `key: value` (a colon and a space after the key)' };
    case 'BAD_INDENT':
      if (/Flow (sequence|map)/.test(message)) {
        const list = /sequence/.test(message);
        const at = openingBefore(document, offset, (node) => isCollection(node) && node.flow === true);
        return {
          got: `a ${list ? '[ list' : '{ mapping'} that is never closed`,
          fix: `close it with ${list ? ']' : '}'} on the line where it ends`,
          ...(at === undefined ? {} : { at }),
        };
      }
      if (/same column/.test(message))
        return {
          got: 'a key indented differently from the keys above it',
          fix: 'start it at the same column as its sibling keys (indent with spaces)',
        };
      return {
        got: 'a line indented wrongly',
        fix: 'indent nested fields two spaces more than their parent, with spaces',
      };
    case 'TAB_AS_INDENT':
      return { got: 'a tab used for indentation', fix: 'indent with spaces, not tabs' };
    case 'BLOCK_AS_IMPLICIT_KEY':
      return {
        got: 'a second `key:` on the same line',
        fix: 'put the nested key on its own line, indented two more spaces; or quote the value if the colon belongs to it',
      };
    case 'MULTILINE_IMPLICIT_KEY':
      return {
        got: 'a line that is neither `key: value` nor a list item `- value`',
        fix: 'add a colon and a value after the key, or remove the line',
      };
    case 'MULTIPLE_DOCS':
      return {
        got: 'a second YAML document (a --- line)',
        fix: 'keep one document per file: remove the --- line, or move what follows it to a file of its own',
      };
    case 'BAD_SCALAR_START':
      return {
        got: 'a value that starts with a character YAML reserves (@ or `)',
        fix: 'put the value in quotes',
      };
    case 'BAD_DQ_ESCAPE':
      return {
        got: 'an invalid backslash escape in a double-quoted value',
        fix: 'use single quotes for the value, or write the backslash as \\\\',
      };
    case 'UNEXPECTED_TOKEN':
      return {
        got: `an unexpected character (${message.replace(/^Unexpected /, '')})`,
        fix: 'remove it, or put the value it belongs to in quotes',
      };
    case 'MULTIPLE_ANCHORS':
    case 'MULTIPLE_TAGS':
    case 'BAD_PROP_ORDER':
    case 'ALIAS_PROPS':
      return { got: 'misplaced anchors or tags (&name, !tag)', fix: 'give a value at most one &anchor, before it' };
    default:
      return { got: message, fix: 'correct the YAML at that position' };
  }
}

/**
 * The first syntax error of `document` (read from `text`) as one issue; `source` is the file. An error of the
 * indentation class is the mis-indented key when exactly one explains it (and `accept`, when given, takes the
 * repaired document); otherwise it is said plainly that the parser's error is not classified.
 */
export function syntaxIssue(
  text: string,
  document: Document,
  lines: LineCounter,
  source: string,
  accept?: Accept,
): FleetIssue | undefined {
  const error = document.errors[0];
  if (!error) return undefined;
  const parserLine = lines.linePos(error.pos[0]).line;
  const indentation = INDENTATION_CLASS.has(error.code) && !/Flow (sequence|map)|quote/.test(error.message);
  if (indentation) {
    const repair = findIndentationRepair(text, accept, parserLine);
    if (repair) return indentationIssue(repair, source);
  }
  const written0 = text.split('\n')[parserLine - 1] ?? '';
  const confident =
    !indentation ||
    (error.code === 'BLOCK_AS_IMPLICIT_KEY' && TWO_KEYS.test(written0)) ||
    error.code === 'MULTILINE_IMPLICIT_KEY' ||
    error.code === 'MISSING_CHAR' ||
    error.code === 'UNEXPECTED_TOKEN';
  const { got, fix, at = error.pos[0] } = confident ? explain(error, document) : UNCLASSIFIED;
  const { line, col } = lines.linePos(at);
  const written = (text.split('\n')[line - 1] ?? '').trim();
  const shown = written.length > 60 ? `${written.slice(0, 57)}...` : written;
  return {
    path: `${source}:${line}:${col}`,
    value: new Described(shown === '' ? got : `${got}: ${shown}`),
    expected: 'valid YAML',
    fix,
    source,
  };
}
