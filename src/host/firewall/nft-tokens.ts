/** The words of an `nft list ruleset` rule line, and a reader that walks them. */

/** Words of a rule line; "quoted strings" and "{ set, elements }" stay whole. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const end = ch === '"' ? quotedEnd(line, i) : ch === "{" ? setEnd(line, i) : wordEnd(line, i);
    out.push(line.slice(i, end));
    i = end;
  }
  return out;
}

function quotedEnd(line: string, start: number): number {
  let j = start + 1;
  while (j < line.length && line[j] !== '"') j++;
  return j + 1;
}

function setEnd(line: string, start: number): number {
  let j = start + 1;
  let depth = 1;
  while (j < line.length && depth > 0) {
    if (line[j] === "{") depth++;
    else if (line[j] === "}") depth--;
    j++;
  }
  return j;
}

function wordEnd(line: string, start: number): number {
  let j = start + 1;
  while (j < line.length && !/\s/.test(line[j] ?? "")) j++;
  return j;
}

export function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** "{ a, b }" → ["a", "b"]; a plain value → [value]. */
export function elements(token: string): string[] {
  const inner = token.startsWith("{") ? token.slice(1, -1) : token;
  return inner
    .split(",")
    .map((e) => unquote(e.trim()))
    .filter((e) => e !== "");
}

const COMPARISONS = new Set(["<", ">", "<=", ">=", "lt", "gt", "le", "ge"]);

/** A value after an optional relational operator: "!=" negates; ordering ops are not modelled. */
export interface Operand {
  negated: boolean;
  value: string;
  /** False after an ordering operator ("<", "ge", …): the value is not a plain match. */
  comparable: boolean;
}

/** Walks a rule's words left to right. */
export class WordReader {
  private i = 0;
  constructor(private readonly words: string[]) {}

  atEnd(): boolean {
    return this.i >= this.words.length;
  }
  /** The next word without taking it ("" at the end). */
  peek(): string {
    return this.words[this.i] ?? "";
  }
  take(): string {
    return this.words[this.i++] ?? "";
  }
  skip(count = 1): void {
    this.i += count;
  }
  /** Nothing after this matters for filtering (rewrites, "reject with …"). */
  skipToEnd(): void {
    this.i = this.words.length;
  }
  /** Takes words while `test` holds for the next one. */
  takeWhile(test: (word: string) => boolean): string[] {
    const taken: string[] = [];
    while (!this.atEnd() && test(this.peek())) taken.push(this.take());
    return taken;
  }
  operand(): Operand {
    const op = this.peek();
    if (op === "!=" || op === "ne") {
      this.skip();
      return { negated: true, value: this.take(), comparable: true };
    }
    if (op === "==" || op === "eq") this.skip();
    else if (COMPARISONS.has(op)) {
      this.skip();
      return { negated: false, value: this.take(), comparable: false };
    }
    return { negated: false, value: this.take(), comparable: true };
  }
}
