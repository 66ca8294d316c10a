import { execFile } from "node:child_process";

/**
 * The key exchange `up`'s login check asks for. The check proves that the key logs in; which key
 * exchange carries that login does not change the proof. OpenSSH 9.x clients put
 * sntrup761x25519 first, whose key generation in the client took ~80 ms of a ~230 ms `ssh … true`
 * here (~150 ms with curve25519-sha256, 8 logins each), on the path of every `up`. Users' own
 * logins (`modelbox-dev ssh`, the ~/.ssh/config entry) keep their client's defaults.
 *
 * Fastest first; ML-KEM's hybrid (OpenSSH 9.9 and later) is as quick as curve25519 and keeps
 * the login post-quantum where both ends have it. Only names the client lists (`ssh -Q kex`) are
 * passed: an older client refuses a name it does not know, and the `-`/`^` list prefixes are
 * newer than the clients some hosts have.
 */
const FAST_KEX = [
  "mlkem768x25519-sha256",
  "curve25519-sha256",
  "curve25519-sha256@libssh.org",
  "ecdh-sha2-nistp256",
  "ecdh-sha2-nistp384",
  "ecdh-sha2-nistp521",
  "diffie-hellman-group-exchange-sha256",
  "diffie-hellman-group16-sha512",
  "diffie-hellman-group18-sha512",
  "diffie-hellman-group14-sha256",
];

/** The `KexAlgorithms` value for the check from what the client supports; none when nothing fits. */
export function loginCheckKexFrom(supported: readonly string[]): string | undefined {
  const known = new Set(supported.map((s) => s.trim()).filter((s) => s !== ""));
  const chosen = FAST_KEX.filter((k) => known.has(k));
  return chosen.length > 0 ? chosen.join(",") : undefined;
}

/** Runs `ssh -Q kex`; resolves to its output lines, or none when the client cannot say. */
export type KexLister = (ssh: string) => Promise<string[]>;

const listKex: KexLister = (ssh) =>
  new Promise((resolve) => {
    execFile(ssh, ["-Q", "kex"], { timeout: 5_000, killSignal: "SIGKILL" }, (err, stdout) => {
      resolve(err ? [] : stdout.split("\n"));
    });
  });

const asked = new Map<string, Promise<string | undefined>>();

/**
 * The check's `KexAlgorithms` for this ssh client, asked once per process (`up` asks while the
 * container boots, so the login does not wait for it); undefined: the client's defaults.
 */
export function loginCheckKex(ssh: string, list: KexLister = listKex): Promise<string | undefined> {
  const ask = () => list(ssh).then(loginCheckKexFrom, () => undefined);
  if (list !== listKex) return ask(); // a test's lister: not remembered
  let answer = asked.get(ssh);
  if (!answer) {
    answer = ask();
    asked.set(ssh, answer);
  }
  return answer;
}
