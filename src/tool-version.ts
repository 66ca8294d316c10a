import { readFileSync } from "node:fs";

let cached: string | undefined;

/** The package's own name: the package.json looked for is this one's, not an enclosing project's. */
const PACKAGE_NAME = "modelbox-dev";

/**
 * This tool's version, from its package.json: the first one named modelbox-dev above this
 * module (dist/tool-version.js, or a chunk of the bundled command line in dist/bin/). Kept light:
 * --version loads only this.
 */
export function toolVersion(): string {
  if (cached) return cached;
  cached = "0.0.0";
  for (const up of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name !== PACKAGE_NAME) continue;
      cached = pkg.version ?? cached;
      break;
    } catch {
      // not at this level
    }
  }
  return cached;
}
