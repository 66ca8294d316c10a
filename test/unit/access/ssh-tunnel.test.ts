/** The local forward's ssh process, started for real (a program that cannot start, a fake ssh). */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freeLocalPort, jumpArgs, startLocalForward } from "../../../src/access/ssh-tunnel.js";

describe("startLocalForward", () => {
  it("an ssh that cannot be started is 'exited' with the reason, not a crash, and its end resolves", async () => {
    const heard: string[] = [];
    const { state, forward } = await startLocalForward({
      ssh: join(tmpdir(), "no-such-ssh-here"),
      args: ["-N"],
      localPort: await freeLocalPort(),
      deadline: Date.now() + 5_000,
      onLine: (line) => heard.push(line),
    });
    expect(state).toBe("exited");
    expect(forward.lines.join("\n")).toMatch(/ssh could not be started: .*ENOENT/);
    expect(heard).toEqual(forward.lines);
    await forward.ended;
    await forward.close();
  });

  it("an ssh that ends at once is 'exited' with its stderr lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mbdev-fake-ssh-"));
    const fake = join(dir, "ssh");
    writeFileSync(
      fake,
      "#!/bin/sh\necho 'ssh: connect to host x port 22: Connection refused' >&2\nexit 255\n",
    );
    chmodSync(fake, 0o755);
    const { state, forward } = await startLocalForward({
      ssh: fake,
      args: ["-N"],
      localPort: await freeLocalPort(),
      deadline: Date.now() + 5_000,
    });
    await forward.ended;
    expect(state).toBe("exited");
    expect(forward.lines).toEqual(["ssh: connect to host x port 22: Connection refused"]);
  });
});

describe("jumpArgs", () => {
  it("user@host:port becomes ssh's -p and -l; a bracketed IPv6 host loses its brackets", () => {
    expect(jumpArgs("root@127.0.0.3:2222")).toEqual(["-p", "2222", "-l", "root", "127.0.0.3"]);
    expect(jumpArgs("[::1]:22")).toEqual(["-p", "22", "::1"]);
    expect(jumpArgs("host")).toEqual(["host"]);
  });
});
