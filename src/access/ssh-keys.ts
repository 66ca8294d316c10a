import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { ModelboxDevError } from "../errors.js";
import { generateEd25519KeyPair, looksLikePrivateKey, parsePublicKeyLine } from "./openssh-key.js";
import { environmentFiles } from "./paths.js";

/** The key that logs in as root. */
export interface LoginKey {
  source: "generated" | "user";
  /** The public key file the lines came from. */
  publicKeyFile: string;
  /** authorized_keys lines to install. */
  publicKeys: string[];
  /**
   * What `ssh -i` takes: the private key beside the public one; when there is none, the public
   * key itself (ssh then signs with the agent's matching key).
   */
  identityFile: string;
}

/**
 * `--ssh-key PATH`: a public key file of the user's. Checked before anything is created; a
 * private key given by mistake is refused (it must never be copied anywhere).
 */
export function readUserPublicKey(path: string): LoginKey {
  // `--ssh-key=~/.ssh/id.pub` reaches us unexpanded: the shell expands `~` only at a word's start.
  const file = path.startsWith("~/") ? join(homedir(), path.slice(2)) : resolve(path);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) {
    throw new ModelboxDevError(
      "INVALID_SSH_KEY",
      `SSH key ${path} ${stat ? "is not a file" : "does not exist"}.`,
      "Give the public key file, e.g. --ssh-key ~/.ssh/id_ed25519.pub (make one with 'ssh-keygen -t ed25519'), or leave --ssh-key out and a key is generated for this environment.",
    );
  }
  const text = stat.size > 64 * 1024 ? "" : readFileSync(file, "utf8");
  if (looksLikePrivateKey(text)) {
    throw new ModelboxDevError(
      "INVALID_SSH_KEY",
      `SSH key ${path} is a private key.`,
      `Give its public half instead${existsSync(`${file}.pub`) ? ` (--ssh-key ${path}.pub)` : " ('ssh-keygen -y -f KEY > KEY.pub' writes it)"}; a private key never leaves this host.`,
    );
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  const keys = lines.map(parsePublicKeyLine);
  if (keys.length === 0 || keys.some((k) => k === undefined)) {
    throw new ModelboxDevError(
      "INVALID_SSH_KEY",
      `SSH key ${path} is not an OpenSSH public key.`,
      "A public key file holds lines like 'ssh-ed25519 AAAA… comment' (e.g. ~/.ssh/id_ed25519.pub).",
    );
  }
  const privateBeside = file.endsWith(".pub") ? file.slice(0, -".pub".length) : undefined;
  return {
    source: "user",
    publicKeyFile: file,
    publicKeys: keys.map((k) => k?.line ?? ""),
    identityFile: privateBeside && existsSync(privateBeside) ? privateBeside : file,
  };
}

/** The environment's own key pair, generated on first use and kept until `rm`. */
export async function ensureGeneratedKey(name: string): Promise<LoginKey> {
  const files = environmentFiles(name);
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  let publicKey = await readFile(files.publicKey, "utf8").catch(() => undefined);
  const privateExists = existsSync(files.privateKey);
  if (!publicKey || !privateExists || !parsePublicKeyLine(publicKey)) {
    const pair = generateEd25519KeyPair(`modelbox-dev@${name}`);
    // The private key is written with 0600 from the start: no moment where others could read it.
    await writeFile(files.privateKey, pair.privateKey, { mode: 0o600 });
    await chmod(files.privateKey, 0o600);
    await writeFile(files.publicKey, pair.publicKey, { mode: 0o600 });
    publicKey = pair.publicKey;
  }
  return {
    source: "generated",
    publicKeyFile: files.publicKey,
    publicKeys: [publicKey.trim()],
    identityFile: files.privateKey,
  };
}
