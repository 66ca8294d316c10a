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

  it("close ends an ssh that ignores SIGTERM (ssh does, for a moment, right after it listens)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mbdev-fake-ssh-"));
    const fake = join(dir, "ssh");
    // Listens on the port given as its last argument and ignores SIGTERM.
    writeFileSync(
      fake,
      `#!${process.execPath}\nprocess.on("SIGTERM", () => {});\nrequire("node:net").createServer().listen(Number(process.argv.at(-1)), "127.0.0.1");\n`,
    );
    chmodSync(fake, 0o755);
    const localPort = await freeLocalPort();
    const { state, forward } = await startLocalForward({
      ssh: fake,
      args: ["-N", String(localPort)],
      localPort,
      deadline: Date.now() + 10_000,
    });
    expect(state).toBe("listening");
    const closed = await Promise.race([
      forward.close().then(() => "closed"),
      new Promise((r) => setTimeout(() => r("still waiting"), 8_000)),
    ]);
    expect(closed).toBe("closed");
  });
});

describe("jumpArgs", () => {
  it("user@host:port becomes ssh's -p and -l; a bracketed IPv6 host loses its brackets", () => {
    expect(jumpArgs("root@127.0.0.3:2222")).toEqual(["-p", "2222", "-l", "root", "127.0.0.3"]);
    expect(jumpArgs("[::1]:22")).toEqual(["-p", "22", "::1"]);
    expect(jumpArgs("host")).toEqual(["host"]);
  });
});
