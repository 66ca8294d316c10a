/** Where the shared ssh:// engine login's control socket goes, and when there is none. */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseJump } from "../../src/access/ssh-tunnel.js";
import { jumpCommand } from "../../src/access/wait-for-key-login.js";
import { sshDialArgs } from "../../src/engine/docker/ssh-stdio.js";
import {
  SHARED_LOGIN_PERSIST_SECONDS,
  UNSHARED_LOGIN,
  controlPathFor,
  sharedLoginOptions,
} from "../../src/ssh-shared-login.js";

const savedHome = process.env.HOME;
afterEach(() => {
  process.env.HOME = savedHome;
});

describe("shared ssh logins", () => {
  it("one control socket per login, in a directory only this user enters", () => {
    const home = mkdtempSync(join(tmpdir(), "mbdev-h-"));
    process.env.HOME = home;
    const login = { user: "root", host: "127.0.0.3", port: 2222 };
    const path = controlPathFor(login, undefined);
    expect(path).toMatch(new RegExp(`^${home}/\\.modelbox-dev/ssh/[0-9a-f]{16}$`));
    expect(statSync(join(home, ".modelbox-dev", "ssh")).mode & 0o777).toBe(0o700);
    expect(controlPathFor({ ...login }, undefined)).toBe(path);
    expect(controlPathFor({ ...login, port: 22 }, undefined)).not.toBe(path);
    expect(controlPathFor({ ...login, user: "dev" }, undefined)).not.toBe(path);
    expect(controlPathFor(login, "/elsewhere/ssh_config")).not.toBe(path);
  });

  it("no sharing where the socket's path would be too long to bind", () => {
    process.env.HOME = `/tmp/${"h".repeat(80)}`;
    expect(controlPathFor({ host: "gpu1" }, undefined)).toBeUndefined();
  });

  it("the engine's ssh shares the login when given a control path; tunnels never do", () => {
    const args = sshDialArgs({ host: "gpu1", user: "dev" }, undefined, "/h/.modelbox-dev/ssh/ab");
    expect(args.slice(0, 6)).toEqual(sharedLoginOptions("/h/.modelbox-dev/ssh/ab"));
    expect(args).toContain(`ControlPersist=${SHARED_LOGIN_PERSIST_SECONDS}`);
    expect(args.slice(-5)).toEqual(["--", "gpu1", "docker", "system", "dial-stdio"]);
    expect(sshDialArgs({ host: "gpu1" }).join(" ")).not.toContain("Control");
    expect(UNSHARED_LOGIN).toEqual(["-o", "ControlMaster=no", "-o", "ControlPath=none"]);
  });

  it("the key-login check's hop shares the engine's login (same socket), unless the shell would split its path", () => {
    const home = mkdtempSync(join(tmpdir(), "mbdev-h-"));
    process.env.HOME = home;
    const engineLogin = controlPathFor({ user: "root", host: "127.0.0.3", port: 2222 }, undefined);
    expect(parseJump("root@127.0.0.3:2222")).toEqual({
      user: "root",
      host: "127.0.0.3",
      port: 2222,
    });
    expect(parseJump("[::1]")).toEqual({ host: "::1" });
    const command = jumpCommand("root@127.0.0.3:2222");
    expect(command).toContain(`-o ControlPath=${engineLogin} `);
    expect(command).toMatch(/-W \[%h\]:%p -p 2222 -l root 127\.0\.0\.3$/);
    process.env.HOME = mkdtempSync(join(tmpdir(), "mbdev h "));
    expect(jumpCommand("root@127.0.0.3:2222")).not.toContain("Control");
  });
});
