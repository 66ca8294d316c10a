/**
 * The command line as the package runs it (package.json "bin": dist/bin/main.cjs), built from
 * tsc's output by esbuild, all CommonJS:
 * - dist/bin/main.cjs: the entry point, with the small modules it needs (`--version` answers
 *   from it without loading the rest; the early requests of ls). CommonJS, not ESM: an ESM entry
 *   point costs every command Node's ESM loader, ~6 ms (`--version` 33 against 40 ms, 31
 *   alternating runs);
 * - dist/bin/run-cli.cjs, one CommonJS file with every command in it. A command module is
 *   still evaluated only when its command runs (esbuild wraps what is reached by `import()` in a
 *   lazy initializer), and the packages it requires are required then too; Node reads and
 *   compiles one file instead of linking ~50 ESM chunks. ESM output could not be one file: its
 *   imports of packages are hoisted to the top, so every command's packages loaded at every
 *   start (`ls` took twice as long). One CommonJS file against split ESM chunks: the create call
 *   of `up` and `ls` over 200 environments each came ~16 ms sooner (15 alternating runs).
 *
 * The packages stay out of the bundle, loaded by Node as installed: dockerode's heavy modules are
 * deferred by engine/docker/defer-heavy-modules.ts through the CommonJS cache, which works on the
 * real files only (a bundle with dockerode in it loaded ssh2 and tar-fs at every start), and
 * bundling the CommonJS ones (commander, …) gained nothing measurable.
 *
 * - dist/bin/early-answers.cjs: the engine answers main.cjs asks for before loading the rest
 *   (engine/docker/early-answers.ts), one module that both of the above require, so that the
 *   answers main.cjs asked for are the ones the commands find (bundled into each, there would be
 *   two and the commands would find none). It is its own file, not part of run-cli.cjs, because
 *   compiling run-cli.cjs takes ~20 ms that the engine can spend answering.
 *
 * `import.meta.url` in the CommonJS files is the file's own URL (a banner defines it), so the
 * modules that find files beside them (tool-version.ts, dashboard/server.ts) and the one that
 * makes a `require` (defer-heavy-modules.ts) work as in tsc's output; they name their files so
 * that the path holds from their own directory under dist/ and from dist/bin/ alike.
 * The library (dist/index.js) stays tsc's output.
 */
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
// tsc's output, which this script bundles: the build runs tsc first.
import { DEFERRED_CA_CERTS_VARIABLE as DEFERRED } from "../dist/extra-ca-certs.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/bin`;
const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
};

/** Imports of early-answers.js, from either build, go to the one file both share. */
const sharedEarlyAnswers = {
  name: "shared-early-answers",
  setup(b) {
    b.onResolve({ filter: /\/early-answers\.js$/ }, () => ({
      path: "./early-answers.cjs",
      external: true,
    }));
  },
};
const commonjs = {
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  define: { "import.meta.url": "__import_meta_url" },
  banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  ...commonjs,
  entryPoints: { "early-answers": "dist/engine/docker/early-answers.js" },
});
await build({
  ...common,
  ...commonjs,
  entryPoints: { "run-cli": "dist/cli/run-cli.js" },
  plugins: [sharedEarlyAnswers],
  // Less for V8 to scan at every start (~3-5 ms of ~20 to load it); names are kept, and the map
  // (read only with MODELBOX_DEV_DEBUG, main.ts) puts stack traces back in tsc's output.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  sourcesContent: false,
});
await build({
  ...common,
  ...commonjs,
  entryPoints: { main: "dist/cli/main.js" },
  // The rest is required when a command needs it: run-cli.cjs and early-answers.cjs stay their
  // own files (required, not imported: Node would scan a CommonJS file for its exports first,
  // `ls` took 216 against 172 ms), the small modules main.ts imports go into it.
  plugins: [
    sharedEarlyAnswers,
    {
      name: "run-cli-required",
      setup(b) {
        // A module of one `require`: left as an import, the external file would be imported.
        b.onResolve({ filter: /^\.\/run-cli\.js$/ }, () => ({
          path: "run-cli",
          namespace: "run-cli-required",
        }));
        b.onLoad({ filter: /.*/, namespace: "run-cli-required" }, () => ({
          contents: 'module.exports = require("./run-cli.cjs");\n',
          loader: "js",
        }));
        b.onResolve({ filter: /^\.\/run-cli\.cjs$/ }, () => ({
          path: "./run-cli.cjs",
          external: true,
        }));
      },
    },
  ],
});

/**
 * The bin starts under /bin/sh, which sets NODE_EXTRA_CA_CERTS aside (Node 20 reads that file at
 * every start, ~50 ms where it names the system's bundle; src/extra-ca-certs.ts reads it when a
 * TLS connection needs it) and runs the file itself with `node --`, as main.ts's own first line
 * would. To Node the second line is a string and a comment: `node dist/bin/main.cjs` still works.
 */
const SH_START = [
  "#!/bin/sh",
  `':' //; [ -z "$NODE_EXTRA_CA_CERTS" ] || { ${DEFERRED}=$NODE_EXTRA_CA_CERTS; export ${DEFERRED}; unset NODE_EXTRA_CA_CERTS; }; exec node -- "$0" "$@"`,
].join("\n");
const main = readFileSync(`${outdir}/main.cjs`, "utf8");
if (!main.startsWith("#!/usr/bin/env -S node --\n"))
  throw new Error("main.cjs: unexpected first line");
writeFileSync(`${outdir}/main.cjs`, main.replace(/^.*\n/, `${SH_START}\n`));
chmodSync(`${outdir}/main.cjs`, 0o755);
