/**
 * Values an error shows as words rather than as data: `Described` (`an empty file`, `a quoted value that is never
 * closed: …`), printed as it is, without JSON quotes; and `GivenNumber`, a number the document wrote that JavaScript
 * cannot hold exactly (`1e400`, `12345678901234567890`, `.inf`), kept as written so that an error shows what the user
 * wrote (JSON would print `null`, JavaScript `Infinity`).
 */
export class Described {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
  toString(): string {
    return this.text;
  }
}

export class GivenNumber extends Described {
  /** The number as the document wrote it. */
  get source(): string {
    return this.text;
  }
}
