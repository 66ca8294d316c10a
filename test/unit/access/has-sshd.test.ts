/**
 * hasSshd asks the engine for the files where images put programs (programInImage); only an engine without the
 * archive endpoint gets an exec. The engine here answers from a table of paths (a unit test of
 * the decision; the real engine's answers are in test/engine/early-work.test.ts).
 */
import { describe, expect, it } from "vitest";
import { hasSshd } from "../../../src/access/ssh-setup.js";
import type { ContainerEngine, ContainerPathStat, ExecResult } from "../../../src/engine/types.js";

function engineWith(
  files: Record<string, ContainerPathStat>,
  options: { noArchive?: boolean } = {},
) {
  const asked: string[] = [];
  const execs: string[][] = [];
  const engine = {
    statPath: (_id: string, path: string) => {
      asked.push(path);
      if (options.noArchive) return Promise.reject(new Error("404 page not found"));
      return Promise.resolve(files[path]);
    },
    exec: (_id: string, cmd: string[]): Promise<ExecResult> => {
      execs.push(cmd);
      return Promise.resolve({ exitCode: 0, stdout: "", stderr: "" });
    },
  } as unknown as ContainerEngine;
  return { engine, asked, execs };
}

const program = (mode = 0o755): ContainerPathStat => ({
  name: "sshd",
  size: 1,
  mode,
  kind: "file",
});

describe("whether an image has sshd", () => {
  it("/usr/sbin/sshd: the default PATH's directories are asked at once, no exec", async () => {
    const { engine, asked, execs } = engineWith({ "/usr/sbin/sshd": program() });
    expect(await hasSshd(engine, "c")).toBe(true);
    expect(asked).toContain("/usr/sbin/sshd");
    expect(asked).toContain("/usr/local/bin/sshd");
    expect(execs).toEqual([]);
  });

  it("elsewhere on the usual paths, or a link to it", async () => {
    expect(await hasSshd(engineWith({ "/usr/local/sbin/sshd": program() }).engine, "c")).toBe(true);
    const link: ContainerPathStat = {
      ...program(0o777),
      kind: "symlink",
      linkTarget: "/opt/ssh/sbin/sshd",
    };
    expect(await hasSshd(engineWith({ "/sbin/sshd": link }).engine, "c")).toBe(true);
  });

  it("none, or a file that is not executable, or a directory: no sshd", async () => {
    expect(await hasSshd(engineWith({}).engine, "c")).toBe(false);
    expect(await hasSshd(engineWith({ "/usr/sbin/sshd": program(0o644) }).engine, "c")).toBe(false);
    const dir: ContainerPathStat = { ...program(), kind: "directory" };
    expect(await hasSshd(engineWith({ "/usr/sbin/sshd": dir }).engine, "c")).toBe(false);
  });

  it("an engine without the archive endpoint: asked with one exec", async () => {
    const { engine, execs } = engineWith({}, { noArchive: true });
    expect(await hasSshd(engine, "c")).toBe(true);
    expect(execs).toHaveLength(1);
    expect(execs[0]?.join(" ")).toContain("command -v sshd");
  });
});
