import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateEd25519KeyPair } from "../../../src/access/openssh-key.js";
import { environmentFiles } from "../../../src/access/paths.js";
import { ensureGeneratedKey, readUserPublicKey } from "../../../src/access/ssh-keys.js";
import { ModelboxDevError } from "../../../src/errors.js";

let home = "";
const savedHome = process.env.HOME;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "mbdev-home-"));
  process.env.HOME = home;
});
afterEach(() => {
  process.env.HOME = savedHome;
});

function errorOf(fn: () => unknown): ModelboxDevError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelboxDevError);
    return err as ModelboxDevError;
  }
  throw new Error("expected an error");
}

describe("readUserPublicKey (--ssh-key)", () => {
  it("a public key beside its private key: installs the public lines, logs in with the private", () => {
    const pair = generateEd25519KeyPair("me@host");
    writeFileSync(join(home, "id"), pair.privateKey, { mode: 0o600 });
    writeFileSync(join(home, "id.pub"), `# my key\n${pair.publicKey}\n`);
    const key = readUserPublicKey(join(home, "id.pub"));
    expect(key).toEqual({
      source: "user",
      publicKeyFile: join(home, "id.pub"),
      publicKeys: [pair.publicKey.trim()],
      identityFile: join(home, "id"),
    });
  });

  it("a public key alone: ssh -i takes the public key (the agent signs)", () => {
    writeFileSync(join(home, "agent.pub"), generateEd25519KeyPair("me").publicKey);
    expect(readUserPublicKey(join(home, "agent.pub")).identityFile).toBe(join(home, "agent.pub"));
  });

  it("refuses a missing path, a directory, a private key and a file that holds no key", () => {
    expect(errorOf(() => readUserPublicKey(join(home, "nope.pub"))).message).toMatch(
      /does not exist/,
    );
    mkdirSync(join(home, "dir"));
    expect(errorOf(() => readUserPublicKey(join(home, "dir"))).message).toMatch(/is not a file/);
    const pair = generateEd25519KeyPair("me");
    writeFileSync(join(home, "id"), pair.privateKey);
    writeFileSync(join(home, "id.pub"), pair.publicKey);
    const priv = errorOf(() => readUserPublicKey(join(home, "id")));
    expect(priv.code).toBe("INVALID_SSH_KEY");
    expect(priv.message).toMatch(/is a private key/);
    expect(priv.hint).toContain(`--ssh-key ${join(home, "id")}.pub`);
    writeFileSync(join(home, "notes.txt"), "hello\n");
    const junk = errorOf(() => readUserPublicKey(join(home, "notes.txt")));
    expect(junk.code).toBe("INVALID_SSH_KEY");
    expect(junk.message).toMatch(/not an OpenSSH public key/);
    writeFileSync(join(home, "empty.pub"), "");
    expect(errorOf(() => readUserPublicKey(join(home, "empty.pub"))).code).toBe("INVALID_SSH_KEY");
  });
});

describe("ensureGeneratedKey", () => {
  it("generates the environment's key pair once, private key 0600 in a 0700 directory", async () => {
    const first = await ensureGeneratedKey("box");
    const files = environmentFiles("box");
    expect(files.dir).toBe(join(home, ".modelbox-dev", "environments", "box"));
    expect(first).toMatchObject({ source: "generated", identityFile: files.privateKey });
    expect(first.publicKeys[0]).toMatch(/^ssh-ed25519 \S+ modelbox-dev@box$/);
    expect(statSync(files.privateKey).mode & 0o777).toBe(0o600);
    expect(statSync(files.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, ".modelbox-dev")).mode & 0o777).toBe(0o700);
    const again = await ensureGeneratedKey("box");
    expect(again.publicKeys).toEqual(first.publicKeys);
    const other = await ensureGeneratedKey("other");
    expect(other.publicKeys).not.toEqual(first.publicKeys);
  });

  it("refuses a name that is not an environment name as a path", () => {
    expect(() => environmentFiles("../etc")).toThrow(ModelboxDevError);
  });
});

describe("readUserPublicKey and ~", () => {
  it("expands a leading ~/ (as in --ssh-key=~/.ssh/id.pub, which the shell leaves alone)", () => {
    const home = mkdtempSync(join(tmpdir(), "mbdev-home-"));
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      writeFileSync(join(home, "id.pub"), generateEd25519KeyPair("me").publicKey);
      expect(readUserPublicKey("~/id.pub").publicKeyFile).toBe(join(home, "id.pub"));
    } finally {
      process.env.HOME = saved;
    }
  });
});
