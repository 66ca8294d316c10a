import { describe, expect, it } from "vitest";
import { loginCheckKex, loginCheckKexFrom } from "../../../src/access/login-check-kex.js";
import { findSshClient } from "../../../src/access/ssh-client.js";
import { verifyKeyLogin } from "../../../src/access/ssh-setup.js";

// `ssh -Q kex` of OpenSSH 9.2 (Debian 12), as printed.
const OPENSSH_9_2 = [
  "diffie-hellman-group1-sha1",
  "diffie-hellman-group14-sha1",
  "diffie-hellman-group14-sha256",
  "diffie-hellman-group16-sha512",
  "diffie-hellman-group18-sha512",
  "diffie-hellman-group-exchange-sha1",
  "diffie-hellman-group-exchange-sha256",
  "ecdh-sha2-nistp256",
  "ecdh-sha2-nistp384",
  "ecdh-sha2-nistp521",
  "curve25519-sha256",
  "curve25519-sha256@libssh.org",
  "sntrup761x25519-sha512@openssh.com",
  "",
];

describe("the login check's key exchanges", () => {
  it("offers the fast ones the client has, fastest first, never sntrup761 nor SHA-1", () => {
    const kex = loginCheckKexFrom(OPENSSH_9_2)?.split(",");
    expect(kex?.[0]).toBe("curve25519-sha256");
    expect(kex).toContain("diffie-hellman-group-exchange-sha256");
    expect(kex?.some((k) => /sntrup|sha1$/.test(k))).toBe(false);
  });

  it("puts ML-KEM's hybrid first where the client has it (OpenSSH 9.9 and later)", () => {
    const kex = loginCheckKexFrom(["mlkem768x25519-sha256", ...OPENSSH_9_2]);
    expect(kex?.split(",").slice(0, 2)).toEqual(["mlkem768x25519-sha256", "curve25519-sha256"]);
  });

  it("names only what an older client knows (6.5: no curve25519-sha256 without @libssh.org)", () => {
    const old = [
      "diffie-hellman-group14-sha1",
      "ecdh-sha2-nistp256",
      "curve25519-sha256@libssh.org",
    ];
    expect(loginCheckKexFrom(old)).toBe("curve25519-sha256@libssh.org,ecdh-sha2-nistp256");
  });

  it("leaves the client's defaults when it lists nothing (no -Q, or a failure)", async () => {
    expect(loginCheckKexFrom([])).toBeUndefined();
    expect(await loginCheckKex("ssh", () => Promise.resolve([]))).toBeUndefined();
    expect(await loginCheckKex("ssh", () => Promise.reject(new Error("ENOENT")))).toBeUndefined();
  });

  // The test requirements include OpenSSH's client: its real answer, parsed.
  it.skipIf(!findSshClient())("reads this host's ssh client", async () => {
    const kex = await loginCheckKex(findSshClient() ?? "ssh");
    expect(kex?.split(",")).toEqual(expect.arrayContaining(["curve25519-sha256"]));
    expect(kex).not.toMatch(/sntrup/);
  });
});

describe("up's key login check", () => {
  it("logs in offering the client's fast key exchanges", async () => {
    const calls: string[][] = [];
    const result = await verifyKeyLogin({
      key: { source: "generated", publicKeyFile: "/k.pub", publicKeys: [], identityFile: "/k" },
      target: { host: "127.0.0.1", port: 50022, user: "root", identityFile: "/k" },
      deadline: Date.now() + 5_000,
      log: () => undefined,
      sshClient: "/usr/bin/ssh",
      run: (file, args) => {
        calls.push([file, ...args]);
        return Promise.resolve({ code: 0, stdout: "", stderr: "" });
      },
      listKex: () => Promise.resolve(OPENSSH_9_2),
    });
    expect(result.check).toBe("key-login");
    const kex = calls[0]?.find((a) => a.startsWith("KexAlgorithms="));
    expect(kex).toMatch(/^KexAlgorithms=curve25519-sha256,/);
  });
});
