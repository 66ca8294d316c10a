/**
 * The README's install line installs a copy of the package (the packed tarball), not a link to
 * the clone: the installed command keeps working once the clone is gone.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const projectRoot = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "mbdev-install-line-"));

/** The steps of the README's first command line, e.g. ["npm ci", "npm run build", …]. */
function readmeInstallSteps(): string[] {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const block = /```sh\n([^\n]+)\n/.exec(readme);
  if (!block?.[1]) throw new Error("README.md has no sh block");
  return block[1].split(" && ").map((s) => s.trim());
}

describe("the README's install line", () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("installs a copy that keeps working when the clone is deleted", async () => {
    const steps = readmeInstallSteps();
    expect(steps.slice(0, 2)).toEqual(["npm ci", "npm run build"]);
    const install = steps.filter((s) => s.startsWith("npm install -g"));
    expect(install).toHaveLength(1);

    // A clone as `npm ci && npm run build` leaves it (dist built; npm test built it already).
    const clone = join(work, "clone");
    for (const entry of ["package.json", "package-lock.json", "README.md", "dist"]) {
      cpSync(join(projectRoot, entry), join(clone, entry), { recursive: true });
    }
    const prefix = join(work, "prefix");
    await run("sh", ["-c", install[0] ?? ""], {
      cwd: clone,
      env: {
        ...process.env,
        npm_config_prefix: prefix,
        npm_config_prefer_offline: "true",
        npm_config_audit: "false",
        npm_config_fund: "false",
      },
      timeout: 300_000,
    });
    const bin = join(prefix, "bin", "modelbox-dev");
    expect(realpathSync(bin).startsWith(realpathSync(prefix))).toBe(true);

    rmSync(clone, { recursive: true, force: true });
    const { stdout } = await run(bin, ["--version"]);
    const { version } = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
      version: string;
    };
    expect(stdout).toContain(version);
  }, 360_000);
});
