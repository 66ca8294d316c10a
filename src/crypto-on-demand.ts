import { createRequire } from "node:module";
import type * as Crypto from "node:crypto";

/**
 * node:crypto, loaded on the first call rather than with the modules that use it: most command
 * lines hash nothing and draw nothing random, and loading it took ~4 ms of `ls` and `up` before
 * their first engine call.
 */
function crypto(): typeof Crypto {
  return createRequire(import.meta.url)("node:crypto") as typeof Crypto;
}

/** SHA-256 of a text, in hex. */
export function sha256Hex(text: string): string {
  return crypto().createHash("sha256").update(text).digest("hex");
}

/** `bytes` random bytes, in hex. */
export function randomHex(bytes: number): string {
  return crypto().randomBytes(bytes).toString("hex");
}
