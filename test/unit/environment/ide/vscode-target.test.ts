import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkRemotePath,
  codeCommand,
  remoteSshInstalled,
  vscodeMissing,
  vscodeUrl,
} from "../../../../src/environment/ide/vscode-target.js";
import { expectError } from "../../plan/errors.js";

describe("VS Code over Remote - SSH", () => {
  it("the code command and the vscode:// URL name the ssh config host and the folder", () => {
    expect(codeCommand("mybox.modelbox", "/root")).toEqual([
      "code",
      "--remote",
      "ssh-remote+mybox.modelbox",
      "/root",
    ]);
    expect(vscodeUrl("mybox.modelbox", "/root/project")).toBe(
      "vscode://vscode-remote/ssh-remote+mybox.modelbox/root/project",
    );
  });
  it("the folder is /root unless given, and must be absolute", () => {
    expect(checkRemotePath(undefined)).toBe("/root");
    expect(checkRemotePath("/opt/modelbox")).toBe("/opt/modelbox");
    expect(expectError(() => checkRemotePath("project"), "INVALID_OPTION").hint).toContain(
      "/root/project",
    );
  });
  it("without `code`: what to install, and how to connect by hand", () => {
    const err = vscodeMissing("mybox.modelbox", "/root");
    expect(err.code).toBe("VSCODE_MISSING");
    expect(err.hint).toContain("ms-vscode-remote.remote-ssh");
    expect(err.hint).toContain("https://code.visualstudio.com/");
    expect(err.hint).toContain("vscode://vscode-remote/ssh-remote+mybox.modelbox/root");
  });
  it("finds the Remote - SSH extension in VS Code's extension folders, not its sibling extensions", () => {
    const home = mkdtempSync(join(tmpdir(), "mbdev-vscode-"));
    expect(remoteSshInstalled(home)).toBe(false);
    mkdirSync(join(home, ".vscode", "extensions", "ms-vscode-remote.remote-ssh-edit-0.86.0"), {
      recursive: true,
    });
    expect(remoteSshInstalled(home)).toBe(false);
    mkdirSync(join(home, ".vscode-oss", "extensions", "ms-vscode-remote.remote-ssh-0.110.1"), {
      recursive: true,
    });
    expect(remoteSshInstalled(home)).toBe(true);
  });
});
