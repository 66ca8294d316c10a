import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findSshClient } from "../../../src/access/ssh-client.js";
import {
  BLOCK_BEGIN,
  BLOCK_END,
  type SshHostEntry,
  editSshConfig,
  hasEntry,
  withEntry,
  withoutEntry,
} from "../../../src/access/ssh-config-block.js";

const USER_CONFIG = `# my settings
User alice
ServerAliveInterval 30

Host work
  HostName work.example.com
  Port 2222

Host *
  IdentityFile ~/.ssh/id_rsa
`;

const entry = (name: string, port: number): SshHostEntry => ({
  name,
  hostName: "127.0.0.1",
  port,
  user: "root",
  identityFile: `/home/u/.modelbox-dev/environments/${name}/id_ed25519`,
  knownHostsFile: `/home/u/.modelbox-dev/environments/${name}/known_hosts`,
});

describe("the managed ~/.ssh/config block", () => {
  it("goes on top of the user's lines, which stay byte for byte, and ends with Host *", () => {
    const text = withEntry(USER_CONFIG, entry("box", 50022));
    expect(
      text.startsWith(
        `${BLOCK_BEGIN}\nHost box.modelbox\n  HostName 127.0.0.1\n  Port 50022\n  User root\n`,
      ),
    ).toBe(true);
    expect(text).toContain("  IdentitiesOnly yes\n");
    expect(text).toContain(
      "  UserKnownHostsFile /home/u/.modelbox-dev/environments/box/known_hosts\n",
    );
    expect(text).toContain(`Host *\n${BLOCK_END}\n\n${USER_CONFIG}`);
    expect(text.endsWith(USER_CONFIG)).toBe(true);
  });

  it("one entry per environment: updated in place on a port change, removed on rm", () => {
    let text = withEntry(USER_CONFIG, entry("a", 50022));
    text = withEntry(text, entry("b", 50023));
    text = withEntry(text, entry("a", 50099));
    expect(text.match(/^Host a\.modelbox$/gm)).toHaveLength(1);
    expect(text).toContain("Host a.modelbox\n  HostName 127.0.0.1\n  Port 50099\n");
    expect(text).not.toContain("Port 50022");
    expect(text.indexOf("Host a.modelbox")).toBeLessThan(text.indexOf("Host b.modelbox"));
    expect(hasEntry(text, "b")).toBe(true);
    text = withoutEntry(text, "a");
    expect(hasEntry(text, "a")).toBe(false);
    expect(hasEntry(text, "b")).toBe(true);
    // The last one gone: the file is what the user had, exactly.
    expect(withoutEntry(text, "b")).toBe(USER_CONFIG);
    expect(withoutEntry(withEntry("", entry("a", 1)), "a")).toBe("");
  });

  it("a block found lower down goes back to the top on the next edit; the user's lines stay in order", () => {
    const moved = `User x\nHost first\n  User x\n${withEntry("", entry("a", 1))}Host last\n  User y\n`;
    const updated = withEntry(moved, entry("a", 2));
    expect(updated.startsWith(`${BLOCK_BEGIN}\nHost a.modelbox\n`)).toBe(true);
    expect(updated).toContain("Port 2");
    expect(updated).not.toContain("Port 1\n");
    expect(
      updated.endsWith(`${BLOCK_END}\n\nUser x\nHost first\n  User x\nHost last\n  User y\n`),
    ).toBe(true);
    expect(withoutEntry(USER_CONFIG, "nothing")).toBe(USER_CONFIG);
  });

  describe("a block the user damaged is repaired, never added twice", () => {
    const two = withEntry(withEntry(USER_CONFIG, entry("a", 1)), entry("b", 2));
    const once = (text: string, line: string) => text.split("\n").filter((l) => l === line).length;
    const expectRepaired = (damaged: string) => {
      const repaired = withEntry(damaged, entry("c", 3));
      expect(once(repaired, BLOCK_BEGIN)).toBe(1);
      expect(once(repaired, BLOCK_END)).toBe(1);
      for (const host of ["Host a.modelbox", "Host b.modelbox", "Host c.modelbox"]) {
        expect(once(repaired, host), host).toBe(1);
      }
      expect(repaired.startsWith(`${BLOCK_BEGIN}\nHost a.modelbox\n`)).toBe(true);
      expect(repaired.endsWith(`${BLOCK_END}\n\n${USER_CONFIG}`)).toBe(true);
      // Removing every entry gives back exactly what the user had.
      let text = repaired;
      for (const name of ["a", "b", "c"]) text = withoutEntry(text, name);
      expect(text).toBe(USER_CONFIG);
    };

    it("its begin marker deleted", () => {
      expectRepaired(two.replace(`${BLOCK_BEGIN}\n`, ""));
    });

    it("its end marker deleted", () => {
      expectRepaired(two.replace(`${BLOCK_END}\n`, ""));
    });

    it("the block copied below the user's lines", () => {
      const block = two.slice(0, two.indexOf(BLOCK_END) + BLOCK_END.length + 1);
      expectRepaired(`${two}${block}`);
    });

    it("an entry removed from a damaged block is gone from every copy", () => {
      const damaged = two.replace(`${BLOCK_END}\n`, "");
      const text = withoutEntry(damaged, "a");
      expect(hasEntry(text, "a")).toBe(false);
      expect(hasEntry(text, "b")).toBe(true);
      expect(once(text, BLOCK_END)).toBe(1);
    });
  });

  it("quotes paths with spaces", () => {
    const text = withEntry("", { ...entry("a", 1), identityFile: "/home/my user/key" });
    expect(text).toContain('  IdentityFile "/home/my user/key"\n');
  });

  // The block's promise, checked by ssh itself: our host gets our values despite the user's
  // defaults, and the user's hosts keep theirs.
  it.runIf(findSshClient() !== undefined)("ssh -G resolves each host as intended", () => {
    const dir = mkdtempSync(join(tmpdir(), "mbdev-sshcfg-"));
    const file = join(dir, "config");
    writeFileSync(file, withEntry(USER_CONFIG, entry("box", 50022)));
    const lines = (host: string) =>
      execFileSync("ssh", ["-G", "-F", file, host], { encoding: "utf8" }).split("\n");
    const resolved = (host: string) =>
      Object.fromEntries(
        lines(host).map((l) => [l.split(" ")[0], l.slice(l.indexOf(" ") + 1)]),
      ) as Record<string, string>;
    const box = resolved("box.modelbox");
    expect(box).toMatchObject({ user: "root", port: "50022", hostname: "127.0.0.1" });
    expect(box.identitiesonly).toBe("yes");
    // IdentityFile accumulates; ours comes first (and IdentitiesOnly keeps the agent's out).
    expect(lines("box.modelbox").filter((l) => l.startsWith("identityfile "))[0]).toBe(
      "identityfile /home/u/.modelbox-dev/environments/box/id_ed25519",
    );
    expect(resolved("work")).toMatchObject({
      user: "alice",
      port: "2222",
      hostname: "work.example.com",
    });
    expect(resolved("elsewhere")).toMatchObject({
      user: "alice",
      port: "22",
      serveraliveinterval: "30",
    });
  });
});

describe("editSshConfig", () => {
  let home = "";
  const savedHome = process.env.HOME;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "mbdev-home-"));
    process.env.HOME = home;
  });
  afterEach(() => {
    process.env.HOME = savedHome;
  });

  it("creates ~/.ssh (0700) and config (0600) when there is none", async () => {
    const path = join(home, ".ssh", "config");
    expect(await editSshConfig(path, (t) => withEntry(t, entry("a", 1)))).toBe(true);
    expect(statSync(join(home, ".ssh")).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await editSshConfig(path, (t) => withEntry(t, entry("a", 1)))).toBe(false);
  });

  it("keeps the file's mode and edits the target of a symlinked config", async () => {
    const real = join(home, "dotfiles-ssh-config");
    writeFileSync(real, USER_CONFIG);
    chmodSync(real, 0o640);
    const link = join(home, "config");
    symlinkSync(real, link);
    await editSshConfig(link, (t) => withEntry(t, entry("a", 1)));
    expect(statSync(link, { throwIfNoEntry: true }).isFile()).toBe(true);
    expect(readFileSync(real, "utf8")).toContain("Host a.modelbox");
    expect(statSync(real).mode & 0o777).toBe(0o640);
    await editSshConfig(link, (t) => withoutEntry(t, "a"));
    expect(readFileSync(real, "utf8")).toBe(USER_CONFIG);
  });

  it("serialises concurrent edits: none is lost", async () => {
    const path = join(home, "config");
    await Promise.all(
      ["a", "b", "c", "d", "e"].map((n, i) =>
        editSshConfig(path, (t) => withEntry(t, entry(n, i + 1))),
      ),
    );
    const text = readFileSync(path, "utf8");
    for (const n of ["a", "b", "c", "d", "e"]) expect(hasEntry(text, n)).toBe(true);
  });
});
