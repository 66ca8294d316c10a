import { describe, expect, it } from "vitest";
import { decodePathStat, kindOfGoMode } from "../../../../src/engine/docker/path-stat.js";

/** X-Docker-Container-Path-Stat bodies as Docker Engine 20.10.24 sent them (HEAD …/archive). */
const RECORDED = {
  directory:
    '{"name":"d","size":4096,"mode":2147484141,"mtime":"2026-12-01T14:39:26.229287693Z","linkTarget":""}',
  symlink:
    '{"name":"ld","size":1,"mode":134218239,"mtime":"2026-12-01T14:39:26.249287693Z","linkTarget":"/root/d"}',
  contentsOf:
    '{"name":".","size":4096,"mode":2147484141,"mtime":"2026-12-01T14:39:26.229287693Z","linkTarget":""}',
};
const header = (json: string) => Buffer.from(json).toString("base64");

describe("the engine's path stat header", () => {
  it("a directory: kind, permission bits, size, mtime", () => {
    expect(decodePathStat(header(RECORDED.directory))).toEqual({
      name: "d",
      size: 4096,
      mode: 0o755,
      kind: "directory",
      mtime: new Date("2026-12-01T14:39:26.229Z"),
    });
  });
  it("a symlink, with where it points", () => {
    expect(decodePathStat(header(RECORDED.symlink))).toMatchObject({
      name: "ld",
      kind: "symlink",
      mode: 0o777,
      linkTarget: "/root/d",
    });
  });
  it("'/.' is reported as the directory '.'", () => {
    expect(decodePathStat([header(RECORDED.contentsOf)])).toMatchObject({
      name: ".",
      kind: "directory",
    });
  });
  it("Go's file-type bits: plain files, devices, pipes and sockets", () => {
    expect(kindOfGoMode(0o644)).toBe("file");
    expect(kindOfGoMode(2 ** 26 + 2 ** 21 + 0o666)).toBe("other"); // a character device
    expect(kindOfGoMode(2 ** 25 + 0o644)).toBe("other"); // a named pipe
    expect(kindOfGoMode(2 ** 24 + 0o755)).toBe("other"); // a socket
  });
  it("no header is an error, not an empty stat", () => {
    expect(() => decodePathStat(undefined)).toThrow(/no X-Docker-Container-Path-Stat/);
  });
});
