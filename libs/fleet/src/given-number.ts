/**
 * A number the document wrote that JavaScript cannot hold exactly (`1e400`, `12345678901234567890`, `.inf`): kept as
 * written so that an error shows what the user wrote (JSON would print `null`, JavaScript `Infinity`).
 */
export class GivenNumber {
  constructor(readonly source: string) {}
  toJSON(): string {
    return this.source;
  }
  toString(): string {
    return this.source;
  }
}
