/** A piece of a shell word: literal text or a reference to a script variable. */
export type WordPart = string | { variable: string };

const SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** Quotes a literal for bash so that it is passed through byte for byte. */
export function shellQuote(value: string): string {
  if (SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Renders a word that may mix literals and "$VARIABLE" references. */
export function shellWord(parts: WordPart[]): string {
  if (parts.every((p) => typeof p === "string")) return shellQuote(parts.join(""));
  const body = parts
    .map((p) =>
      typeof p === "string" ? p.replace(/[\\"$`]/g, (c) => `\\${c}`) : `\${${p.variable}}`,
    )
    .join("");
  return `"${body}"`;
}
