import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  generateEd25519KeyPair,
  looksLikePrivateKey,
  parsePublicKeyLine,
} from "../../../src/access/openssh-key.js";
import { findSshClient } from "../../../src/access/ssh-client.js";

// A real OpenSSH public key (ssh-keygen -t ed25519), to check the parser on foreign input.
const FOREIGN =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAhXVkt3xknFLBBcAlAaLCNRIxpDGgdn8XkldSIsPaK someone@host";

describe("generateEd25519KeyPair", () => {
  it("writes OpenSSH's formats: armored private key, one public key line with the comment", () => {
    const pair = generateEd25519KeyPair("modelbox-dev@box");
    expect(pair.privateKey).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END OPENSSH PRIVATE KEY-----\n$/,
    );
    expect(pair.publicKey).toMatch(
      /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* modelbox-dev@box\n$/,
    );
    expect(parsePublicKeyLine(pair.publicKey)?.type).toBe("ssh-ed25519");
    expect(looksLikePrivateKey(pair.privateKey)).toBe(true);
    expect(generateEd25519KeyPair("x").publicKey).not.toBe(pair.publicKey);
  });

  // ssh-keygen is part of the test requirements (openssh-client); it is the reference reader.
  it.runIf(findSshClient() !== undefined)(
    "ssh-keygen reads the private key and derives the same public key from it",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "mbdev-key-"));
      const pair = generateEd25519KeyPair("modelbox-dev@box");
      writeFileSync(join(dir, "id"), pair.privateKey, { mode: 0o600 });
      const derived = execFileSync("ssh-keygen", ["-y", "-f", join(dir, "id")], {
        encoding: "utf8",
      });
      expect(derived.trim()).toBe(pair.publicKey.trim());
    },
  );
});

describe("parsePublicKeyLine", () => {
  it("takes the common key types with or without a comment", () => {
    expect(parsePublicKeyLine(FOREIGN)).toMatchObject({ type: "ssh-ed25519", line: FOREIGN });
    expect(parsePublicKeyLine(FOREIGN.split(" ").slice(0, 2).join(" "))).toBeDefined();
  });

  it("refuses what is not a public key line", () => {
    expect(parsePublicKeyLine("")).toBeUndefined();
    expect(parsePublicKeyLine("hello world")).toBeUndefined();
    expect(parsePublicKeyLine("ssh-ed25519")).toBeUndefined();
    expect(parsePublicKeyLine("ssh-ed25519 not*base64")).toBeUndefined();
    // The blob names another type than the line claims.
    expect(parsePublicKeyLine(FOREIGN.replace("ssh-ed25519", "ssh-rsa"))).toBeUndefined();
    expect(parsePublicKeyLine('command="x" ' + FOREIGN)).toBeUndefined();
  });

  it("tells private key files apart", () => {
    expect(looksLikePrivateKey("-----BEGIN RSA PRIVATE KEY-----\nMII")).toBe(true);
    expect(looksLikePrivateKey("PuTTY-User-Key-File-3: ssh-ed25519")).toBe(true);
    expect(looksLikePrivateKey(FOREIGN)).toBe(false);
  });
});
