import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ModelboxDevError, toModelboxDevError } from "../../src/errors.js";

/** The error a real fs call throws for `path` (not one made up to look like it). */
async function fsFailure(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    () => {
      throw new Error("the call succeeded");
    },
    (err: unknown) => err,
  );
}

describe("toModelboxDevError", () => {
  it("ours stay as they are; anything else is INTERNAL, with the cause kept for the trace", () => {
    const ours = new ModelboxDevError("NOT_FOUND", "No environment x.", "Run 'ls'.");
    expect(toModelboxDevError(ours)).toBe(ours);
    const cause = new TypeError("x is not a function");
    expect(toModelboxDevError(cause)).toMatchObject({
      code: "INTERNAL",
      message: "Unexpected failure: x is not a function",
      cause,
    });
  });

  it("a refusal under ~/.modelbox-dev says to look at HOME; the same elsewhere stays INTERNAL", async () => {
    // vitest's HOME is the machine's: a path under its ~/.modelbox-dev that cannot be made.
    const state = join(homedir(), ".modelbox-dev");
    const scratch = await mkdtemp(join(tmpdir(), "mbdev-errors-"));
    try {
      const file = join(scratch, "a-file");
      await writeFile(file, "");
      // ENOTDIR from the kernel, its path then rewritten under ~/.modelbox-dev as if it were there.
      const refused = (await fsFailure(() => mkdir(join(file, "locks")))) as NodeJS.ErrnoException;
      expect(refused.code).toBe("ENOTDIR");
      const elsewhere = toModelboxDevError(refused);
      expect(elsewhere.code).toBe("INTERNAL");

      refused.path = join(state, "locks");
      const e = toModelboxDevError(refused);
      expect(e).toMatchObject({
        code: "STATE_UNWRITABLE",
        message: `Cannot mkdir ${join(state, "locks")} (ENOTDIR): modelbox-dev keeps its keys, locks and caches in ${state}.`,
        cause: refused,
      });
      expect(e.hint).toContain(`HOME is ${homedir()}`);
      // Not a refusal: a disk that is full, or anything without a path.
      expect(
        toModelboxDevError(Object.assign(new Error("x"), { code: "ENOSPC", path: state })).code,
      ).toBe("INTERNAL");
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
