import { describe, expect, it } from "vitest";
import {
  formatChipList,
  parseChipList,
  parseMount,
  parsePort,
  validateBindAddress,
  validateName,
} from "../../../src/plan/validate.js";
import { expectError } from "./errors.js";

describe("parseChipList / formatChipList", () => {
  it.each<[string, number[], string]>([
    ["0", [0], "0"],
    ["0-3,5", [0, 1, 2, 3, 5], "0-3,5"],
    ["5,0-3", [0, 1, 2, 3, 5], "0-3,5"],
    ["0,1,2,3", [0, 1, 2, 3], "0-3"],
    ["1,3,5", [1, 3, 5], "1,3,5"],
    [" 0 - 2 , 7 ", [0, 1, 2, 7], "0-2,7"],
    ["2-2", [2], "2"],
    ["0-1,3-4,6", [0, 1, 3, 4, 6], "0-1,3-4,6"],
  ])("%j ↔ %j (%s)", (text, chips, canonical) => {
    expect(parseChipList(text)).toEqual(chips);
    expect(formatChipList(chips)).toBe(canonical);
    expect(parseChipList(formatChipList(chips))).toEqual(chips);
  });

  it("formats an empty list as an empty string", () => {
    expect(formatChipList([])).toBe("");
  });

  it.each(["", "a", "0-", "-1", "3-1", "0,,1", "0;1", "1.5", "0-2000", "0-1,1-2", "3,3"])(
    "%j is INVALID_OPTION with an example in the hint",
    (text) => {
      const err = expectError(() => parseChipList(text), "INVALID_OPTION");
      expect(err.message).toContain(JSON.stringify(text));
      expect(err.hint).toContain("/dev/davinci");
    },
  );
});

describe("parseMount", () => {
  it("reads SRC:DST as a read-write user mount", () => {
    expect(parseMount("/data:/data")).toEqual({
      source: "/data",
      target: "/data",
      readOnly: false,
      purpose: "user",
    });
  });

  it("reads :ro and :rw", () => {
    expect(parseMount("/data:/mnt/data:ro")).toMatchObject({ target: "/mnt/data", readOnly: true });
    expect(parseMount("/data:/mnt/data:rw").readOnly).toBe(false);
  });

  it("normalises both paths", () => {
    expect(parseMount("/srv//a/./b/../c:/x/y/../z")).toMatchObject({
      source: "/srv/a/c",
      target: "/x/z",
    });
  });

  it("keeps spaces and quotes in paths", () => {
    expect(parseMount(`/tmp/we ird'$(x):/in side`)).toMatchObject({
      source: `/tmp/we ird'$(x)`,
      target: "/in side",
    });
  });

  it("a relative source is INVALID_MOUNT with an absolute suggestion", () => {
    const err = expectError(() => parseMount("data:/data"), "INVALID_MOUNT");
    expect(err.message).toMatch(/source "data" is not an absolute path/);
    expect(err.hint).toBe('Use an absolute host path, e.g. --mount "$PWD/data:/data".');
    expect(expectError(() => parseMount("./models:/models"), "INVALID_MOUNT").hint).toContain(
      '"$PWD/models:/models"',
    );
  });

  it("a relative target is INVALID_MOUNT", () => {
    const err = expectError(() => parseMount("/data:data"), "INVALID_MOUNT");
    expect(err.message).toMatch(/target "data"/);
    expect(err.hint).toContain("/data:/data:ro");
  });

  it.each(["/data", "/data:", ":/data", "/a:/b:x", "/a:/b:RO", "/a:/b:ro:z", ""])(
    "%j is INVALID_MOUNT",
    (text) => {
      const err = expectError(() => parseMount(text), "INVALID_MOUNT");
      expect(err.hint).toMatch(/--mount/);
    },
  );
});

describe("parsePort", () => {
  it("accepts 1..65535 as numbers or strings", () => {
    expect(parsePort(1, "--ssh-port")).toBe(1);
    expect(parsePort("65535", "--ssh-port")).toBe(65535);
    expect(parsePort(" 8080 ", "--http-port")).toBe(8080);
    expect(parsePort("050022", "--ssh-port")).toBe(50022);
  });

  it.each<string | number>([
    "abc",
    "0",
    "70000",
    "65536",
    "-1",
    "1e3",
    "80.0",
    "0x50",
    "",
    " ",
    0,
    8080.5,
    NaN,
  ])("%j is INVALID_PORT naming the flag", (value) => {
    const err = expectError(() => parsePort(value, "--editor-port"), "INVALID_PORT");
    expect(err.message).toContain("--editor-port");
    expect(err.message).toContain(JSON.stringify(String(value)));
  });
});

describe("validateName", () => {
  it.each(["mybox", "ab", "modelbox_instance_1700000000", "My.Box-1_x", "0box", "x".repeat(128)])(
    "%j is valid",
    (name) => {
      expect(validateName(name)).toBe(name);
    },
  );

  it.each(["-x", "a b", "über", "", "x", ".box", "_box", "a/b", "a:b", "box\n", "x".repeat(129)])(
    "%j is INVALID_NAME",
    (name) => {
      const err = expectError(() => validateName(name), "INVALID_NAME");
      expect(err.hint).toMatch(/letters, digits/);
    },
  );
});

describe("validateBindAddress", () => {
  it.each(["", "127.0.0.1", "0.0.0.0", "192.168.1.20", "::1", "::", "fe80::1"])(
    "%j is accepted as is",
    (address) => {
      expect(validateBindAddress(address)).toBe(address);
    },
  );

  it.each(["localhost", "127.0.0.1:8080", "256.0.0.1", "example.com", " 127.0.0.1", "[::1]"])(
    "%j is INVALID_OPTION",
    (address) => {
      const err = expectError(() => validateBindAddress(address), "INVALID_OPTION");
      expect(err.message).toContain("--bind");
    },
  );
});
