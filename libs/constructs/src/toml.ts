/**
 * A small, deterministic TOML writer for the configuration files our constructs put into ConfigMaps (Traefik's
 * static and dynamic configuration, the Container Insights agent settings). It writes exactly what it is given, in
 * the given key order: plain keys first, then sub-tables, then arrays of tables — what TOML requires.
 * @see https://toml.io/en/v1.0.0
 */

/** A number written with a decimal point even when it is whole (`90.0`): some readers require a float. */
export class TomlFloat {
  constructor(readonly value: number) {
    if (!Number.isFinite(value)) throw new Error(`TOML float must be finite, got ${value}`);
  }

  toString(): string {
    return Number.isInteger(this.value) ? this.value.toFixed(1) : String(this.value);
  }
}

export type TomlValue = string | number | boolean | TomlFloat | readonly TomlValue[] | TomlTable | readonly TomlTable[];
export interface TomlTable {
  readonly [key: string]: TomlValue | undefined;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function key(name: string): string {
  return BARE_KEY.test(name) ? name : JSON.stringify(name);
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlFloat);
}

function isTableArray(value: unknown): value is readonly TomlTable[] {
  return Array.isArray(value) && value.length > 0 && value.every(isTable);
}

function scalar(value: TomlValue, path: string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof TomlFloat) return value.toString();
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`${path}: ${value} is not an integer; wrap fractional numbers in TomlFloat`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => scalar(item as TomlValue, `${path}[${i}]`)).join(', ')}]`;
  throw new Error(`${path}: a table cannot be written inline`);
}

function writeTable(table: TomlTable, trail: readonly string[], out: string[], header: boolean): void {
  const entries = Object.entries(table).filter((entry): entry is [string, TomlValue] => entry[1] !== undefined);
  const plain = entries.filter(([, v]) => !isTable(v) && !isTableArray(v));
  const tables = entries.filter(([, v]) => isTable(v));
  const arrays = entries.filter(([, v]) => isTableArray(v));
  const name = trail.map(key).join('.');
  // A table needs its own header when it has keys of its own, or when it is empty (an empty table means "enabled").
  if (header && (plain.length > 0 || entries.length === 0)) {
    if (out.length > 0) out.push('');
    out.push(`[${name}]`);
  }
  for (const [k, v] of plain) out.push(`${key(k)} = ${scalar(v, [...trail, k].join('.'))}`);
  for (const [k, v] of tables) writeTable(v as TomlTable, [...trail, k], out, true);
  for (const [k, v] of arrays) {
    for (const item of v as readonly TomlTable[]) {
      if (out.length > 0) out.push('');
      out.push(`[[${[...trail, k].map(key).join('.')}]]`);
      const nested = Object.entries(item).filter(([, x]) => x !== undefined && (isTable(x) || isTableArray(x)));
      if (nested.length > 0) throw new Error(`${[...trail, k].join('.')}: nested tables inside an array of tables are not supported`);
      for (const [ik, iv] of Object.entries(item)) if (iv !== undefined) out.push(`${key(ik)} = ${scalar(iv, [...trail, k, ik].join('.'))}`);
    }
  }
}

/** Renders a document as TOML text ending in a newline. */
export function toToml(document: TomlTable): string {
  const out: string[] = [];
  writeTable(document, [], out, false);
  return `${out.join('\n')}\n`;
}
