import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The import directions of the layer table in README.md ("Architecture"): each folder of src/
 * imports only the layers below it, and the clients (cli/, dashboard/) are imported by nothing.
 */
const SRC = resolve(import.meta.dirname, "../../src");

/** Modules at the top of src/ that every layer may use. */
const SHARED = [
  "errors",
  "labels",
  "poll-until",
  "tool-version",
  "connect-address",
  "home-ssh-config",
  "published-ports",
  "input-text",
  "find-on-path",
  "name-order",
  "crypto-on-demand",
  "extra-ca-certs",
  "state-dir",
  "stop-child",
  "ssh-shared-login",
];

/** folder → the folders it may import (itself always); `types` lists type-only imports. */
const LAYERS: Record<string, { may: string[]; typesOnly?: string[] }> = {
  catalog: { may: [] },
  engine: { may: [] },
  registry: { may: ["catalog"], typesOnly: ["engine"] },
  host: { may: [], typesOnly: ["engine"] },
  plan: { may: ["catalog"], typesOnly: ["host", "engine"] },
  access: { may: [], typesOnly: ["engine"] },
  config: { may: ["registry"] },
  doctor: { may: ["catalog", "host", "plan"] },
  environment: {
    may: ["catalog", "registry", "host", "plan", "engine", "access", "config", "doctor"],
  },
};

/** Node modules that do I/O: the catalogue is pure data and must not reach for them. */
const NODE_IO = /^node:(fs|fs\/promises|child_process|net|http|https|os|dgram|dns|tls|readline)$/;

interface Import {
  from: string;
  specifier: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, kind);
  const found: Import[] = [];
  for (const node of source.statements) {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly = ts.isImportDeclaration(node)
        ? node.importClause?.isTypeOnly === true
        : node.isTypeOnly;
      found.push({ from: file, specifier: node.moduleSpecifier.text, typeOnly });
    }
  }
  // Lazy imports (`await import("…")`) count as much as static ones.
  for (const m of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) {
    found.push({ from: file, specifier: m[1] ?? "", typeOnly: false });
  }
  return found;
}

/** "plan" for src/plan/x.ts, "errors" for src/errors.ts. */
function layerOf(path: string): string {
  const rel = relative(SRC, path).replace(/\.(ts|js)$/, "");
  return rel.split("/")[0] ?? rel;
}

const imports = sourceFiles(SRC).flatMap(importsOf);
const internal = imports
  .filter((i) => i.specifier.startsWith("."))
  .map((i) => ({
    ...i,
    fromLayer: layerOf(i.from),
    toLayer: layerOf(resolve(dirname(i.from), i.specifier)),
  }));
const show = (i: { from: string; specifier: string }) =>
  `${relative(SRC, i.from)} imports ${i.specifier}`;

describe("import directions (the layer table)", () => {
  it("finds the imports it checks", () => {
    expect(internal.length).toBeGreaterThan(300);
    expect(internal.some((i) => i.fromLayer === "environment" && i.toLayer === "plan")).toBe(true);
  });

  it("nothing imports the clients (cli/, dashboard/) but the CLI's command that serves the dashboard", () => {
    const serves = (i: { from: string; toLayer: string }) =>
      i.toLayer === "dashboard" && relative(SRC, i.from) === "cli/commands/dashboard.ts";
    const wrong = internal.filter(
      (i) =>
        (i.toLayer === "cli" || i.toLayer === "dashboard") &&
        i.fromLayer !== i.toLayer &&
        !serves(i),
    );
    expect(wrong.map(show)).toEqual([]);
  });

  it("each layer imports only the layers below it", () => {
    const wrong = internal.filter((i) => {
      const rule = LAYERS[i.fromLayer];
      if (!rule || i.toLayer === i.fromLayer || SHARED.includes(i.toLayer)) return false;
      if (rule.may.includes(i.toLayer)) return false;
      return !(i.typeOnly && rule.typesOnly?.includes(i.toLayer));
    });
    expect(wrong.map(show)).toEqual([]);
  });

  it("the dashboard reaches the library only through its entry, src/index.ts", () => {
    const wrong = internal.filter(
      (i) => i.fromLayer === "dashboard" && !["dashboard", "index", ...SHARED].includes(i.toLayer),
    );
    expect(wrong.map(show)).toEqual([]);
    // The page is bundled on its own: besides its own modules it shares only the protocol's types.
    const protocol = join(SRC, "dashboard", "protocol");
    const page = internal.filter((i) => relative(SRC, i.from).startsWith("dashboard/web/"));
    expect(page.length).toBeGreaterThan(10);
    const outside = page.filter((i) => {
      const target = resolve(dirname(i.from), i.specifier).replace(/\.js$/, "");
      return !target.startsWith(join(SRC, "dashboard", "web")) && target !== protocol;
    });
    expect(outside.map(show)).toEqual([]);
  });

  it("the catalogue is pure: no host, engine or node I/O", () => {
    const wrong = imports.filter((i) => layerOf(i.from) === "catalog" && NODE_IO.test(i.specifier));
    expect(wrong.map(show)).toEqual([]);
  });

  it("nothing in environment/ calls back into a client: operations take options and a context", () => {
    const callbacks = sourceFiles(join(SRC, "environment")).filter((f) =>
      /\b(afterReady|probeFacts|obtainImage\?:|options\(facts\))/.test(readFileSync(f, "utf8")),
    );
    expect(callbacks.map((f) => relative(SRC, f))).toEqual([]);
  });
});
