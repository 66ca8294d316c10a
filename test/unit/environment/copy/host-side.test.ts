import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ModelboxDevError } from "../../../../src/errors.js";
import { decideCopy } from "../../../../src/environment/copy/copy-rules.js";
import {
  estimateArchiveBytes,
  extractToHost,
  packHostPath,
} from "../../../../src/environment/copy/host-archive.js";
import {
  describeHostDestination,
  describeHostSource,
} from "../../../../src/environment/copy/host-paths.js";

let root = "";

/** src/{a.txt, hard (hard link to a.txt), link -> a.txt, sub/b, ld -> sub} */
function makeTree(): string {
  const src = join(root, "src");
  mkdirSync(join(src, "sub"), { recursive: true });
  writeFileSync(join(src, "a.txt"), "alpha\n", { mode: 0o640 });
  writeFileSync(join(src, "sub", "b"), "beta\n");
  linkSync(join(src, "a.txt"), join(src, "hard"));
  symlinkSync("a.txt", join(src, "link"));
  symlinkSync("sub", join(src, "ld"));
  return src;
}

async function rejection(promise: Promise<unknown>): Promise<ModelboxDevError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelboxDevError);
  return err as ModelboxDevError;
}

/** Packs a host source and unpacks it into a host destination, as the two halves of cp do. */
async function roundTrip(sourcePath: string, destinationPath: string, followLink = false) {
  const source = await describeHostSource(sourcePath, followLink, sourcePath);
  const destination = await describeHostDestination(destinationPath, destinationPath);
  const decision = decideCopy(source, destination);
  if (!decision.ok) throw new Error(decision.reason);
  const tar = packHostPath(source, undefined, () => undefined);
  return extractToHost(tar, decision.directory, decision.rename);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mbdev-copy-"));
});

describe("the host side of a source", () => {
  it("a symlink is copied as a link; -L follows it and keeps the link's name", async () => {
    const src = makeTree();
    expect(await describeHostSource(join(src, "link"), false, "link")).toEqual({
      path: join(src, "link"),
      isDir: false,
    });
    expect(await describeHostSource(join(src, "link"), true, "link")).toEqual({
      path: join(src, "a.txt"),
      isDir: false,
      rebaseName: "link",
    });
  });
  it("a trailing '/' on a link to a directory follows it, keeping the link's name", async () => {
    const src = makeTree();
    expect(await describeHostSource(`${join(src, "ld")}/`, false, "ld/")).toEqual({
      path: `${join(src, "sub")}/`,
      isDir: true,
      rebaseName: "ld",
    });
  });
  it("missing → PATH_NOT_FOUND; a file written as a directory → PATH_CONFLICT", async () => {
    const src = makeTree();
    expect((await rejection(describeHostSource(join(src, "nope"), false, "nope"))).code).toBe(
      "PATH_NOT_FOUND",
    );
    const slashed = await rejection(describeHostSource(`${join(src, "a.txt")}/`, false, "a.txt/"));
    expect(slashed.code).toBe("PATH_CONFLICT");
    expect(slashed.message).toContain("a.txt/ is not a directory");
  });
});

describe("the host side of a destination", () => {
  it("follows symlinks to where they point, even a dangling one", async () => {
    const src = makeTree();
    expect(await describeHostDestination(join(src, "ld"), "ld")).toEqual({
      path: join(src, "sub"),
      exists: true,
      isDir: true,
    });
    symlinkSync("not-yet", join(root, "dangling"));
    expect(await describeHostDestination(join(root, "dangling"), "dangling")).toEqual({
      path: join(root, "not-yet"),
      exists: false,
      isDir: false,
    });
  });
  it("a missing parent directory is PATH_NOT_FOUND with the mkdir to run", async () => {
    const err = await rejection(describeHostDestination(join(root, "a", "b"), "a/b"));
    expect(err.code).toBe("PATH_NOT_FOUND");
    expect(err.hint).toContain(`mkdir -p ${join(root, "a")}`);
  });
  it("a parent that is a file is PATH_CONFLICT", async () => {
    writeFileSync(join(root, "f"), "");
    const err = await rejection(describeHostDestination(join(root, "f", "x"), "f/x"));
    expect(err.code).toBe("PATH_CONFLICT");
  });
});

describe("packing and unpacking on the host", () => {
  it("a tree arrives whole: contents, permissions, symlinks and hard links", async () => {
    const src = makeTree();
    const dest = join(root, "dest");
    mkdirSync(dest);
    const report = await roundTrip(src, dest);
    expect(report.conflicts).toEqual([]);
    expect(report.failures).toEqual([]);
    const copy = join(dest, "src");
    expect(readFileSync(join(copy, "sub", "b"), "utf8")).toBe("beta\n");
    expect(statSync(join(copy, "a.txt")).mode & 0o777).toBe(0o640);
    expect(readlinkSync(join(copy, "link"))).toBe("a.txt");
    expect(statSync(join(copy, "hard")).ino).toBe(statSync(join(copy, "a.txt")).ino);
  });
  it(
    "hard links spread over many directories: the copy ends, and they stay links (node-tar#460)",
    {
      timeout: 15_000,
    },
    async () => {
      // The layout that stalls node-tar's Pack with read-ahead: more deferred links than its jobs.
      const src = join(root, "many");
      for (let i = 0; i < 20; i++) {
        mkdirSync(join(src, `dir${String(i).padStart(3, "0")}`), { recursive: true });
        writeFileSync(join(src, `dir${String(i).padStart(3, "0")}`, "file.txt"), `content-${i}`);
      }
      const target = join(src, "dir000", "target.txt");
      writeFileSync(target, "the link target");
      for (let i = 1; i < 15; i++) {
        linkSync(target, join(src, `dir${String(i).padStart(3, "0")}`, "hardlink.txt"));
      }
      const dest = join(root, "dest");
      mkdirSync(dest);
      const report = await roundTrip(src, dest);
      expect(report.failures).toEqual([]);
      const copied = statSync(join(dest, "many", "dir000", "target.txt"));
      expect(copied.nlink).toBe(15);
      expect(statSync(join(dest, "many", "dir014", "hardlink.txt")).ino).toBe(copied.ino);
      expect(readFileSync(join(dest, "many", "dir019", "file.txt"), "utf8")).toBe("content-19");
    },
  );
  it("a renamed tree (new destination name) keeps its hard links inside it", async () => {
    const src = makeTree();
    await roundTrip(src, join(root, "renamed"));
    const copy = join(root, "renamed");
    expect(readFileSync(join(copy, "a.txt"), "utf8")).toBe("alpha\n");
    expect(statSync(join(copy, "hard")).ino).toBe(statSync(join(copy, "a.txt")).ino);
  });
  it("'/.' onto a new name creates it with the contents, hard links included", async () => {
    const src = makeTree();
    await roundTrip(`${src}/.`, join(root, "contents"));
    const copy = join(root, "contents");
    expect(readFileSync(join(copy, "sub", "b"), "utf8")).toBe("beta\n");
    expect(statSync(join(copy, "hard")).ino).toBe(statSync(join(copy, "a.txt")).ino);
  });
  it("-L copies the link's target under the link's name", async () => {
    const src = makeTree();
    const dest = join(root, "dest");
    mkdirSync(dest);
    await roundTrip(join(src, "link"), dest, true);
    expect(lstatSync(join(dest, "link")).isFile()).toBe(true);
    expect(readFileSync(join(dest, "link"), "utf8")).toBe("alpha\n");
  });
  it("never replaces a file with a directory or the reverse: those entries are reported, the rest copied", async () => {
    const src = makeTree();
    const dest = join(root, "dest");
    mkdirSync(join(dest, "src"), { recursive: true });
    writeFileSync(join(dest, "src", "sub"), "a file where the tree has a directory");
    mkdirSync(join(dest, "src", "a.txt"));
    const report = await roundTrip(src, dest);
    expect(report.conflicts.sort()).toEqual(["src/a.txt", "src/sub/"]);
    expect(readFileSync(join(dest, "src", "sub"), "utf8")).toContain("a file");
    expect(readlinkSync(join(dest, "src", "link"))).toBe("a.txt");
  });
  it("estimates the archive's size closely enough for a percentage", async () => {
    const src = makeTree();
    writeFileSync(join(src, "big"), Buffer.alloc(100_000));
    const estimate = await estimateArchiveBytes(src);
    let actual = 0;
    for await (const chunk of packHostPath(
      { path: src, isDir: true },
      undefined,
      () => undefined,
    )) {
      actual += (chunk as Buffer).length;
    }
    expect(estimate).toBeGreaterThan(actual * 0.9);
    expect(estimate).toBeLessThan(actual * 1.1);
  });
});
