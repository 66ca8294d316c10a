/** The e2e tests' runner: a call that hangs is stopped, and its result says so. */
import { describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";

describe("runCli", () => {
  it("stops a call that outlives its time with SIGTERM and says which call it was", async () => {
    const result = await runCli("/bin/sleep", ["30"], { timeoutMs: 200 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("modelbox-dev 30 did not end within 0.2 s");
  });

  it("passes a call's own exit code and output through", async () => {
    const result = await runCli("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]);
    expect(result).toEqual({ code: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("a call that exits without reading its input is its exit code, not an EPIPE", async () => {
    // 1 MiB does not fit in the pipe: the write is still pending when the call exits.
    const result = await runCli("/bin/sh", ["-c", "exit 4"], { input: "x".repeat(1 << 20) });
    expect(result.code).toBe(4);
  });
});
