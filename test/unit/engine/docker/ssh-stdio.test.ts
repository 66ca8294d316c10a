import { spawn } from "node:child_process";
import { get } from "node:http";
import { describe, expect, it } from "vitest";
import { translateConnectionError } from "../../../../src/engine/docker/engine-errors.js";
import { SshStdioAgent, sshDialArgs } from "../../../../src/engine/docker/ssh-stdio.js";

describe("ssh:// engines", () => {
  it("log in as the docker CLI does and run dial-stdio, never waiting at a password prompt", () => {
    expect(sshDialArgs({ host: "127.0.0.3", user: "dev", port: 2222 })).toEqual([
      "-o",
      "ConnectTimeout=30",
      "-o",
      "BatchMode=yes",
      "-T",
      "-l",
      "dev",
      "-p",
      "2222",
      "--",
      "127.0.0.3",
      "docker",
      "system",
      "dial-stdio",
    ]);
  });

  it("dial the named socket of Podman's ssh form", () => {
    expect(sshDialArgs({ host: "gpu2", socketPath: "/run/podman/podman.sock" }).slice(-5)).toEqual([
      "docker",
      "--host",
      "unix:///run/podman/podman.sock",
      "system",
      "dial-stdio",
    ]);
  });

  it("a refused login becomes a clear engine error with ssh's own words", async () => {
    // Stands in for ssh: says what OpenSSH says on a refused key, and exits as it does.
    const agent = new SshStdioAgent({ host: "gpu1" }, () =>
      spawn("sh", ["-c", "echo 'dev@gpu1: Permission denied (publickey).' >&2; exit 255"]),
    );
    const err = await new Promise<unknown>((resolve) => {
      get({ host: "gpu1", path: "/_ping", agent }, () => resolve(undefined)).on("error", resolve);
    });
    const translated = translateConnectionError(err, "ssh://gpu1") as {
      code: string;
      message: string;
      hint: string;
    };
    expect(translated.code).toBe("ENGINE_UNAVAILABLE");
    expect(translated.message).toContain("Permission denied (publickey)");
    expect(translated.hint).toMatch(/key/);
    agent.destroy();
  });

  it("a host without the docker CLI is told so", async () => {
    const agent = new SshStdioAgent({ host: "gpu1" }, () =>
      spawn("sh", ["-c", "echo 'bash: line 1: docker: command not found' >&2; exit 127"]),
    );
    const err = await new Promise<unknown>((resolve) => {
      get({ host: "gpu1", path: "/_ping", agent }, () => resolve(undefined)).on("error", resolve);
    });
    expect((translateConnectionError(err, "ssh://gpu1") as { hint: string }).hint).toMatch(
      /docker CLI must be installed/,
    );
    agent.destroy();
  });
});
