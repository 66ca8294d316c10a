import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { environmentFiles } from "./paths.js";

/**
 * What `up` recorded about an environment's login, for `status`, `ssh` and the next `up`: the
 * key to log in with. Labels cannot hold it (they are fixed at create; a key path is not the
 * environment's identity), so it is a small file beside the generated key.
 */
export interface AccessRecord {
  /** What `ssh -i` takes. */
  identityFile: string;
  /** Whether the key is the one modelbox-dev generated for this environment. */
  generated: boolean;
}

function isRecord(value: unknown): value is AccessRecord {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.identityFile === "string" && typeof v.generated === "boolean";
}

export async function readAccessRecord(name: string): Promise<AccessRecord | undefined> {
  const files = environmentFiles(name);
  try {
    const parsed: unknown = JSON.parse(await readFile(files.record, "utf8"));
    if (isRecord(parsed)) return parsed;
  } catch {
    // absent or unreadable: fall back to the generated key below
  }
  return existsSync(files.privateKey)
    ? { identityFile: files.privateKey, generated: true }
    : undefined;
}

export async function writeAccessRecord(name: string, record: AccessRecord): Promise<void> {
  await writeFile(environmentFiles(name).record, `${JSON.stringify(record, null, 2)}\n`, {
    mode: 0o600,
  });
}

/** The environment's host keys, if `up` read them. */
export function knownHostsFileOf(name: string): string | undefined {
  const path = environmentFiles(name).knownHosts;
  return existsSync(path) ? path : undefined;
}

/** Forgets the environment: its generated key, host keys and record. */
export async function removeEnvironmentFiles(name: string): Promise<void> {
  await rm(environmentFiles(name).dir, { recursive: true, force: true });
}
