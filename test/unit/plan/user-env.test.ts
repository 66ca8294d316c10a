import { describe, expect, it } from "vitest";
import {
  describeUserEnv,
  mergedUserEnv,
  parseEnvArgument,
  parseEnvFile,
  resolveUserEnv,
  withUserEnv,
} from "../../../src/plan/user-env.js";
import { expectError } from "./errors.js";

const shell: Record<string, string> = { FROM_SHELL: "shell value", EMPTY: "" };
const lookup = (name: string) => shell[name];

describe("--env as docker run -e reads it", () => {
  it("NAME=value keeps the value as written, '=' and spaces included", () => {
    expect(parseEnvArgument("A=b=c d", lookup)).toEqual(["A", "b=c d"]);
    expect(parseEnvArgument("A=", lookup)).toEqual(["A", ""]);
  });
  it("NAME alone takes this shell's value (empty counts); unset is an error, not a silent drop", () => {
    expect(parseEnvArgument("FROM_SHELL", lookup)).toEqual(["FROM_SHELL", "shell value"]);
    expect(parseEnvArgument("EMPTY", lookup)).toEqual(["EMPTY", ""]);
    const e = expectError(() => parseEnvArgument("NOT_SET", lookup), "INVALID_ENV");
    expect(e.hint).toContain("export NOT_SET=");
  });
  it("refuses names that are empty or hold whitespace", () => {
    for (const bad of ["=x", "A B=x", " A=x", "A\tB"]) {
      expectError(() => parseEnvArgument(bad, lookup), "INVALID_ENV");
    }
  });
  it("an error never repeats a value", () => {
    const e = expectError(() => parseEnvArgument("BAD NAME=hunter2", lookup), "INVALID_ENV");
    expect(`${e.message} ${e.hint ?? ""}`).not.toContain("hunter2");
  });
});

describe("--env-file in docker's format", () => {
  const file = (text: string) => ({ path: "/p/app.env", text });

  it("NAME=value per line, literally: no quote removal, spaces kept", () => {
    expect(parseEnvFile(file("A=1\nB='quoted'\nC= spaced \nD=\"x\"\n"), lookup)).toEqual([
      ["A", "1"],
      ["B", "'quoted'"],
      ["C", " spaced "],
      ["D", '"x"'],
    ]);
  });
  it("skips blank and # lines, drops leading whitespace and a BOM, reads CRLF", () => {
    expect(parseEnvFile(file("\uFEFF# c\n\n   A=1\r\n\t# also\r\nB=2"), lookup)).toEqual([
      ["A", "1"],
      ["B", "2"],
    ]);
  });
  it("NAME alone takes this shell's value, and is skipped when unset (as docker does)", () => {
    expect(parseEnvFile(file("FROM_SHELL\nNOT_SET\n"), lookup)).toEqual([
      ["FROM_SHELL", "shell value"],
    ]);
  });
  it("a name with whitespace is refused with the file and line", () => {
    const e = expectError(() => parseEnvFile(file("A=1\nB C=2\n"), lookup), "INVALID_ENV");
    expect(e.message).toContain("/p/app.env line 2");
  });
});

describe("the user's variables together", () => {
  const values = resolveUserEnv(
    {
      envFiles: [
        { path: "/a.env", text: "A=file\nB=file\n" },
        { path: "/b.env", text: "B=second file\n" },
      ],
      env: ["B=flag", "C=flag"],
    },
    lookup,
  );

  it("files in order, then flags; a later value of a name wins", () => {
    expect(values.fromFiles).toEqual({ A: "file", B: "second file" });
    expect(values.fromFlags).toEqual({ B: "flag", C: "flag" });
    expect(mergedUserEnv(values)).toEqual({ A: "file", B: "flag", C: "flag" });
  });

  it("the plan keeps names, files and a hash: never a value", () => {
    const planned = describeUserEnv("box", values, ["/a.env", "/b.env"]);
    expect(planned).toMatchObject({
      names: ["A", "B", "C"],
      flagNames: ["B", "C"],
      files: ["/a.env", "/b.env"],
    });
    expect(JSON.stringify(planned)).not.toMatch(/"file"|"second file"|"flag"/);
  });

  it("the hash changes with a value, not with where it came from", () => {
    const hash = (v: typeof values) => describeUserEnv("box", v, [])?.hash;
    const same = { fromFiles: {}, fromFlags: mergedUserEnv(values) };
    expect(hash(same)).toBe(hash(values));
    expect(hash({ ...values, fromFlags: { ...values.fromFlags, C: "other" } })).not.toBe(
      hash(values),
    );
    // Keyed by the environment: equal values in two environments do not show as equal.
    expect(describeUserEnv("other", values, [])?.hash).not.toBe(hash(values));
  });

  it("nothing set: no user variables in the plan", () => {
    expect(describeUserEnv("box", { fromFiles: {}, fromFlags: {} }, [])).toBeUndefined();
  });
});

describe("the user's variables beside modelbox-dev's", () => {
  const planned = {
    NVIDIA_DRIVER_CAPABILITIES: "compute,utility,video",
    NVIDIA_VISIBLE_DEVICES: "0",
  };
  const user = (names: string[]) => ({ files: [], flagNames: names, names, hash: "h" });

  it("a variable of ours that the user sets is theirs, with a note", () => {
    const out = withUserEnv(planned, user(["NVIDIA_DRIVER_CAPABILITIES"]));
    expect(out.env).toEqual({ NVIDIA_VISIBLE_DEVICES: "0" });
    expect(out.notes[0]).toContain("NVIDIA_DRIVER_CAPABILITIES");
  });
  it("one that carries --gpus or --npu cannot be set by hand", () => {
    const e = expectError(
      () => withUserEnv(planned, user(["NVIDIA_VISIBLE_DEVICES"])),
      "INVALID_ENV",
    );
    expect(e.hint).toContain("--gpus");
    expect(withUserEnv({}, user(["NVIDIA_VISIBLE_DEVICES"])).env).toEqual({});
  });
});
