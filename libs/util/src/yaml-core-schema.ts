/**
 * The YAML 1.2 core schema (what the `yaml` package reads by default) for js-yaml: its null, bool, int and float
 * forms only — js-yaml's own schemas also take `0b…`, `1_000` and other YAML 1.1 forms as numbers. js-yaml reads
 * several times faster than the `yaml` package; with this schema both give the same values (tested in libs/synth
 * yaml-format.test.ts and libs/fleet yaml-reader.test.ts).
 */
import { FAILSAFE_SCHEMA, Type, type Schema } from 'js-yaml';

const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** What becomes of a boolean or number: its value and its text as written. @default the value */
export type CoreScalar = (value: boolean | number, written: string) => unknown;

export function yamlCoreSchema(scalar: CoreScalar = (value) => value): Schema {
  return FAILSAFE_SCHEMA.extend({
    implicit: [
      new Type('tag:yaml.org,2002:null', {
        kind: 'scalar',
        resolve: (text: string) => /^(?:~|[Nn]ull|NULL)?$/.test(text),
        construct: () => null,
      }),
      new Type('tag:yaml.org,2002:bool', {
        kind: 'scalar',
        resolve: (text: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text),
        construct: (text: string) => scalar(/^t/i.test(text), text),
      }),
      new Type('tag:yaml.org,2002:int', {
        kind: 'scalar',
        resolve: (text: string) => CORE_INT.test(text),
        construct: (text: string) =>
          scalar(
            text.startsWith('0o')
              ? parseInt(text.slice(2), 8)
              : text.startsWith('0x')
                ? parseInt(text.slice(2), 16)
                : parseInt(text, 10),
            text,
          ),
      }),
      new Type('tag:yaml.org,2002:float', {
        kind: 'scalar',
        resolve: (text: string) => CORE_FLOAT.test(text),
        construct: (text: string) => {
          if (/nan$/i.test(text)) return scalar(NaN, text);
          if (/inf$/i.test(text)) return scalar(text.startsWith('-') ? -Infinity : Infinity, text);
          return scalar(parseFloat(text), text);
        },
      }),
    ],
  });
}
