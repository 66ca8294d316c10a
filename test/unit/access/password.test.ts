import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  passwordFromStdinText,
  promptHidden,
  readStream,
} from "../../../src/access/password-input.js";
import { setRootPassword } from "../../../src/access/root-password.js";
import type { ContainerEngine, ExecOptions, ExecResult } from "../../../src/engine/types.js";
import { ModelboxDevError } from "../../../src/errors.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof ModelboxDevError ? err.code : "not a ModelboxDevError";
  }
  return undefined;
}

describe("the password from stdin", () => {
  it("one trailing line break is not part of it; everything else is", () => {
    expect(passwordFromStdinText("s3cret\n")).toBe("s3cret");
    expect(passwordFromStdinText("s3cret\r\n")).toBe("s3cret");
    expect(passwordFromStdinText(" spaced pass ")).toBe(" spaced pass ");
    expect(passwordFromStdinText("a:b")).toBe("a:b");
  });
  it("empty or multi-line input is refused", () => {
    expect(codeOf(() => passwordFromStdinText(""))).toBe("INVALID_PASSWORD");
    expect(codeOf(() => passwordFromStdinText("\n"))).toBe("INVALID_PASSWORD");
    expect(codeOf(() => passwordFromStdinText("one\ntwo\n"))).toBe("INVALID_PASSWORD");
  });
  it("reads a stream to its end, up to a limit", async () => {
    const s = new PassThrough();
    s.end("pw\n");
    expect(await readStream(s)).toBe("pw\n");
    const big = new PassThrough();
    big.end("x".repeat(5000));
    await expect(readStream(big)).rejects.toThrow(ModelboxDevError);
  });
});

/** A terminal stand-in: raw mode is recorded, keystrokes are written into it. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes: [] as boolean[],
    setRawMode(mode: boolean) {
      this.rawModes.push(mode);
      return this;
    },
  });
  const output = new PassThrough();
  let shown = "";
  output.on("data", (c: Buffer) => (shown += c.toString()));
  return { input, output, shown: () => shown };
}

describe("promptHidden", () => {
  it("reads up to Enter in raw mode, honours backspace, and never echoes", async () => {
    const t = fakeTerminal();
    const answer = promptHidden("New root password: ", t.input, t.output);
    t.input.write("hunter3\u007f2\r");
    expect(await answer).toBe("hunter2");
    expect(t.shown()).toBe("New root password: \n");
    expect(t.input.rawModes).toEqual([true, false]);
  });
  it("Ctrl-C aborts", async () => {
    const t = fakeTerminal();
    const answer = promptHidden("pw: ", t.input, t.output);
    t.input.write("abc\u0003");
    await expect(answer).rejects.toThrow(/Interrupted/);
    expect(t.input.rawModes).toEqual([true, false]);
  });
});

function recordingEngine(result: Partial<ExecResult> = {}) {
  const calls: Array<{ cmd: string[]; options?: ExecOptions }> = [];
  const engine = {
    exec: (_id: string, cmd: string[], options?: ExecOptions) => {
      calls.push({ cmd, ...(options ? { options } : {}) });
      return Promise.resolve({ exitCode: 0, stdout: "", stderr: "", ...result });
    },
  } as unknown as ContainerEngine;
  return { engine, calls };
}

describe("setRootPassword", () => {
  it("sends root:password to chpasswd over stdin: never in argv or env", async () => {
    const { engine, calls } = recordingEngine();
    await setRootPassword(engine, "c1", "s3cret pw");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.cmd).toEqual(["chpasswd"]);
    expect(calls[0]?.options?.stdin).toBe("root:s3cret pw\n");
    expect(JSON.stringify({ cmd: calls[0]?.cmd, env: calls[0]?.options?.env })).not.toContain(
      "s3cret",
    );
  });
  it("a failure says so without repeating the password", async () => {
    const { engine } = recordingEngine({
      exitCode: 1,
      stderr: "chpasswd: (line 1, user root) password not changed: s3cret pw",
    });
    const err = await setRootPassword(engine, "c1", "s3cret pw").then(
      () => undefined,
      (e: unknown) => e as ModelboxDevError,
    );
    expect(err?.code).toBe("PASSWORD_FAILED");
    expect(JSON.stringify([err?.message, err?.details, err?.hint])).not.toContain("s3cret");
  });
  it("refuses an empty password before any exec", async () => {
    const { engine, calls } = recordingEngine();
    await expect(setRootPassword(engine, "c1", "")).rejects.toThrow(ModelboxDevError);
    expect(calls).toHaveLength(0);
  });
});
