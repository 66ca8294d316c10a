import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Every error a user can meet says what to do about it: each `new ModelboxDevError(code, message,
 * hint)` in src/ passes a hint, and a hint that is not written out on the spot (a variable, a
 * call) is at least not the literal `undefined` or an empty string.
 */
const SRC = resolve(import.meta.dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

interface Construction {
  where: string;
  hint: ts.Expression | undefined;
  text: string;
}

function constructions(file: string): Construction[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Construction[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "ModelboxDevError"
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({
        where: `${relative(SRC, file)}:${line}`,
        hint: node.arguments?.[2],
        text: node.getText().slice(0, 120),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function emptyHint(hint: ts.Expression | undefined): boolean {
  if (!hint) return true;
  if (ts.isIdentifier(hint) && hint.text === "undefined") return true;
  if (ts.isStringLiteral(hint) || ts.isNoSubstitutionTemplateLiteral(hint)) {
    return hint.text.trim() === "";
  }
  return false;
}

describe("every error has a hint", () => {
  const all = sourceFiles(SRC).flatMap(constructions);

  it("finds the constructions (the walk itself works)", () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it("each construction of ModelboxDevError in src/ passes a non-empty hint", () => {
    const missing = all.filter((c) => emptyHint(c.hint)).map((c) => `${c.where}: ${c.text}`);
    expect(missing).toEqual([]);
  });
});
