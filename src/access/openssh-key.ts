import { generateKeyPairSync, randomBytes } from "node:crypto";

/**
 * OpenSSH's own file formats for a key pair, written with node:crypto so that `up` needs no
 * `ssh-keygen` (PROTOCOL.key in OpenSSH's sources: "openssh-key-v1", unencrypted).
 */

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

export interface GeneratedKeyPair {
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` file content. */
  privateKey: string;
  /** One `ssh-ed25519 AAAA… comment` line, newline-terminated. */
  publicKey: string;
}

export function generateEd25519KeyPair(comment: string): GeneratedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d ?? "", "base64url");
  const type = "ssh-ed25519";
  const blob = Buffer.concat([sshString(type), sshString(pub)]);
  // The two equal check words let a reader tell a wrong passphrase from a corrupt file.
  const check = randomBytes(4);
  let secret = Buffer.concat([
    check,
    check,
    sshString(type),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  // Padding 1, 2, 3, … up to the cipher block size (8 for "none").
  const padding: number[] = [];
  for (let i = 1; (secret.length + padding.length) % 8 !== 0; i++) padding.push(i);
  secret = Buffer.concat([secret, Buffer.from(padding)]);
  const file = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(blob),
    sshString(secret),
  ]);
  const lines = file.toString("base64").match(/.{1,70}/g) ?? [];
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `${type} ${blob.toString("base64")} ${comment}\n`,
  };
}

/** Key types sshd accepts in authorized_keys without options (certificates are not keys). */
const PUBLIC_KEY_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ssh-dss",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

export interface PublicKeyLine {
  type: string;
  /** The key blob, base64. */
  data: string;
  /** `type data [comment]`, as found. */
  line: string;
}

/** One public key line (`type base64 [comment]`) whose blob really is a key of that type. */
export function parsePublicKeyLine(text: string): PublicKeyLine | undefined {
  const line = text.trim();
  const [type, data] = line.split(/\s+/);
  if (!type || !data || !PUBLIC_KEY_TYPES.has(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) {
    return undefined;
  }
  const blob = Buffer.from(data, "base64");
  if (blob.length < 4) return undefined;
  const typeLength = blob.readUInt32BE(0);
  if (blob.subarray(4, 4 + typeLength).toString("latin1") !== type) return undefined;
  return { type, data, line };
}

/** A private key file, in any of the formats OpenSSH reads. */
export function looksLikePrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) || text.startsWith("PuTTY-User-Key-File");
}
