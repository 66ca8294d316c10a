/**
 * The command line as the package runs it (package.json "bin": dist/bin/main.js): tsc's output
 * for src/cli/main.ts, bundled by esbuild into a few files with the command modules still loaded
 * only when their command runs (split chunks). Node then reads a few dozen files at start-up
 * instead of ~170 modules one by one. The library (dist/index.js) stays tsc's output.
 *
 * The packages stay out of the bundle, loaded by Node as installed: dockerode's heavy modules are
 * deferred by engine/docker/defer-heavy-modules.ts through the CommonJS cache, which works on the
 * real files only (a bundle with dockerode in it loaded ssh2 and tar-fs at every start), and
 * bundling the CommonJS ones (commander, …) into ESM gained nothing measurable.
 *
 * Modules that find files beside them (tool-version.ts, dashboard/server.ts) name them so that
 * the path holds from their own directory under dist/ and from dist/bin/ alike.
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/bin`;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: "dist/cli/main.js" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
