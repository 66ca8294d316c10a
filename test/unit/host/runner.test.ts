import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOnPath } from "../../../src/find-on-path.js";
import { systemRunner } from "../../../src/host/runner.js";

// The real runner against real programs in a directory of our own, put first on PATH.
describe("findOnPath and systemRunner", () => {
  let dir: string;
  const savedPath = process.env.PATH;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mbdev-runner-"));
    await writeFile(join(dir, "probe-tool"), '#!/bin/sh\necho "out $1"; echo err >&2; exit 3\n');
    await chmod(join(dir, "probe-tool"), 0o755);
    // Present but not executable: execvp skips it, and so does the lookup.
    await writeFile(join(dir, "not-executable"), "#!/bin/sh\necho no\n");
    process.env.PATH = `relative-dir:${dir}:${savedPath ?? ""}`;
  });
  afterAll(async () => {
    process.env.PATH = savedPath;
    await rm(dir, { recursive: true, force: true });
  });

  it("finds programs on PATH as execvp would, and skips relative entries", async () => {
    expect(findOnPath("probe-tool")).toBe(join(dir, "probe-tool"));
    expect(findOnPath("not-executable")).toBeUndefined();
    expect(findOnPath("surely-no-such-tool-xyz")).toBeUndefined();
    expect(findOnPath(join(dir, "probe-tool"), { PATH: "" })).toBe(join(dir, "probe-tool"));
    expect(findOnPath("sh", { PATH: "relative-dir" })).toBeUndefined();
    // A directory is not a program, though it has the execute bit.
    await mkdir(join(dir, "sub", "probe-dir"), { recursive: true });
    expect(findOnPath("probe-dir", { PATH: join(dir, "sub") })).toBeUndefined();
  });

  it("runs a found program and reports its exit code and output", async () => {
    const r = await systemRunner()("probe-tool", ["x"]);
    expect(r).toEqual({ found: true, exitCode: 3, stdout: "out x\n", stderr: "err\n" });
  });

  it("reports an absent or non-executable program as not installed", async () => {
    const absent = { found: false, exitCode: null, stdout: "", stderr: "" };
    expect(await systemRunner()("surely-no-such-tool-xyz", [])).toEqual(absent);
    expect(await systemRunner()("not-executable", [])).toEqual(absent);
  });
});
