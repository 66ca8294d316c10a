import { describe, expect, it } from "vitest";
import {
  type CopyDestination,
  type CopySource,
  cleanPath,
  decideCopy,
  landedPath,
  rebaseAfterResolve,
  rebaseEntryPath,
  splitPathDirEntry,
} from "../../../../src/environment/copy/copy-rules.js";

const file = (path: string, rebaseName?: string): CopySource => ({
  path,
  isDir: false,
  ...(rebaseName ? { rebaseName } : {}),
});
const dir = (path: string): CopySource => ({ path, isDir: true });
const existingDir = (path: string): CopyDestination => ({ path, exists: true, isDir: true });
const existingFile = (path: string): CopyDestination => ({ path, exists: true, isDir: false });
const missing = (path: string): CopyDestination => ({ path, exists: false, isDir: false });

describe("docker cp's path rules", () => {
  describe("a file as the source", () => {
    it("onto a path that does not exist: created as that file", () => {
      const d = decideCopy(file("/src/a.txt"), missing("/root/b.txt"));
      expect(d).toEqual({
        ok: true,
        directory: "/root",
        rename: { from: "a.txt", to: "b.txt" },
      });
      if (d.ok) expect(landedPath(d, file("/src/a.txt"))).toBe("/root/b.txt");
    });
    it("onto a missing path ending in '/': the directory must exist", () => {
      expect(decideCopy(file("/src/a.txt"), missing("/root/new/"))).toEqual({
        ok: false,
        reason: "directory-must-exist",
      });
    });
    it("onto an existing file: overwrites it", () => {
      expect(decideCopy(file("/src/a.txt"), existingFile("/root/b.txt"))).toEqual({
        ok: true,
        directory: "/root",
        rename: { from: "a.txt", to: "b.txt" },
      });
    });
    it("onto an existing directory: copied into it under its own name", () => {
      const d = decideCopy(file("/src/a.txt"), existingDir("/root/"));
      expect(d).toEqual({ ok: true, directory: "/root" });
      if (d.ok) expect(landedPath(d, file("/src/a.txt"))).toBe("/root/a.txt");
    });
    it("same name, no rename", () => {
      expect(decideCopy(file("/src/a.txt"), missing("/root/a.txt"))).toEqual({
        ok: true,
        directory: "/root",
      });
    });
  });

  describe("a directory as the source", () => {
    it("onto a path that does not exist: created there, with the source's contents", () => {
      expect(decideCopy(dir("/src/data"), missing("/root/copy"))).toEqual({
        ok: true,
        directory: "/root",
        rename: { from: "data", to: "copy" },
      });
      // A trailing '/' changes nothing for a directory source.
      expect(decideCopy(dir("/src/data"), missing("/root/copy/"))).toEqual({
        ok: true,
        directory: "/root",
        rename: { from: "data", to: "copy" },
      });
    });
    it("onto an existing file: an error", () => {
      expect(decideCopy(dir("/src/data"), existingFile("/root/f"))).toEqual({
        ok: false,
        reason: "directory-onto-file",
      });
    });
    it("onto an existing directory: copied into it as a child", () => {
      const d = decideCopy(dir("/src/data"), existingDir("/root"));
      expect(d).toEqual({ ok: true, directory: "/root" });
      if (d.ok) expect(landedPath(d, dir("/src/data"))).toBe("/root/data");
    });
    it("ending in '/.' onto an existing directory: its contents are copied into it", () => {
      const d = decideCopy(dir("/src/data/."), existingDir("/root/target"));
      expect(d).toEqual({ ok: true, directory: "/root/target" });
      if (d.ok) expect(landedPath(d, dir("/src/data/."))).toBe("/root/target");
    });
    it("ending in '/.' onto a missing path: the path is created with the contents", () => {
      expect(decideCopy(dir("/src/data/."), missing("/root/new"))).toEqual({
        ok: true,
        directory: "/root",
        rename: { from: ".", to: "new" },
      });
    });
    it("ending in '/' (not '/.') onto an existing directory: still copied as a child", () => {
      expect(decideCopy(dir("/src/data/"), existingDir("/root"))).toEqual({
        ok: true,
        directory: "/root",
      });
    });
  });

  describe("a followed symlink keeps the name the user wrote", () => {
    it("into an existing directory, the copy is named after the link", () => {
      const source = file("/src/target.txt", "link");
      const d = decideCopy(source, existingDir("/root"));
      expect(d).toEqual({
        ok: true,
        directory: "/root",
        rename: { from: "target.txt", to: "link" },
      });
      if (d.ok) expect(landedPath(d, source)).toBe("/root/link");
    });
    it("onto a new name, the destination's name wins", () => {
      expect(decideCopy(file("/src/target.txt", "link"), missing("/root/x"))).toEqual({
        ok: true,
        directory: "/root",
        rename: { from: "target.txt", to: "x" },
      });
    });
  });
});

describe("path pieces", () => {
  it("splits into directory and entry like Go's filepath, keeping a '/.' entry", () => {
    expect(splitPathDirEntry("/root/data")).toEqual({ dir: "/root", base: "data" });
    expect(splitPathDirEntry("/root/data/")).toEqual({ dir: "/root", base: "data" });
    expect(splitPathDirEntry("/root/data/.")).toEqual({ dir: "/root/data", base: "." });
    expect(splitPathDirEntry("/root/data/./")).toEqual({ dir: "/root/data", base: "." });
    expect(splitPathDirEntry("/a.txt")).toEqual({ dir: "/", base: "a.txt" });
    expect(splitPathDirEntry("/")).toEqual({ dir: "/", base: "." });
  });
  it("cleans like Go's filepath.Clean", () => {
    expect(cleanPath("/root//data/./x/")).toBe("/root/data/x");
    expect(cleanPath("/")).toBe("/");
    expect(cleanPath("/root/data/.")).toBe("/root/data");
  });
  it("after following a link, keeps the '/' or '/.' and names the copy after the link", () => {
    expect(rebaseAfterResolve("/root/ld", "/root/d")).toEqual({
      path: "/root/d",
      rebaseName: "ld",
    });
    expect(rebaseAfterResolve("/root/ld/.", "/root/d")).toEqual({ path: "/root/d/." });
    expect(rebaseAfterResolve("/root/ld/", "/root/d")).toEqual({
      path: "/root/d/",
      rebaseName: "ld",
    });
    expect(rebaseAfterResolve("/root/same", "/other/same")).toEqual({ path: "/other/same" });
  });
});

describe("renaming archive entries", () => {
  const rename = { from: "data", to: "copy" };
  it("renames the top entry and everything under it, nothing else", () => {
    expect(rebaseEntryPath("data", rename)).toBe("copy");
    expect(rebaseEntryPath("data/", rename)).toBe("copy/");
    expect(rebaseEntryPath("data/sub/x", rename)).toBe("copy/sub/x");
    expect(rebaseEntryPath("database/x", rename)).toBe("database/x");
    expect(rebaseEntryPath("./data/x", rename)).toBe("copy/x");
  });
  it("'.' as the top entry (a '/.' source) becomes a directory of the new name", () => {
    const dot = { from: ".", to: "new" };
    expect(rebaseEntryPath("./", dot)).toBe("new/");
    expect(rebaseEntryPath(".", dot)).toBe("new");
    expect(rebaseEntryPath("./a/b", dot)).toBe("new/a/b");
    // node-tar names a hard link's target without the "./".
    expect(rebaseEntryPath("a", dot)).toBe("new/a");
  });
  it("without a rename, entries stay as they are", () => {
    expect(rebaseEntryPath("./a", undefined)).toBe("./a");
    expect(rebaseEntryPath("x/y", { from: "x", to: "x" })).toBe("x/y");
  });
});
