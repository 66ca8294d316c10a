import { createHash } from "node:crypto";
import { ModelboxDevError } from "../errors.js";
import { controlCharacterIn } from "../input-text.js";
import type { PlannedUserEnv } from "./types.js";

/**
 * `--env K=V`, `--env NAME` and `--env-file FILE`, read as `docker run` reads them. Values may be
 * secrets: they are read here and handed to the container, and never enter the plan, labels,
 * logs or events; the plan keeps the names and a hash (so a changed value changes the spec).
 */

/** Where `--env NAME` and an env-file line without `=` take their value (this process' env). */
export type EnvLookup = (name: string) => string | undefined;

/** An `--env-file`, already read: its path (absolute) and its text. */
export interface EnvFileText {
  path: string;
  text: string;
}

/** The variables the user set, in the order docker applies them: files first, then flags. */
export interface UserEnvValues {
  fromFiles: Record<string, string>;
  fromFlags: Record<string, string>;
}

const WHITESPACE = /\s/;

function badName(name: string, where: string): ModelboxDevError {
  return new ModelboxDevError(
    "INVALID_ENV",
    `${where}: ${JSON.stringify(name)} is not a variable name.`,
    "Write NAME=value (the name without spaces or '='), e.g. --env TF_CPP_MIN_LOG_LEVEL=2.",
  );
}

function checkName(name: string, where: string): string {
  if (name === "" || WHITESPACE.test(name) || controlCharacterIn(name)) throw badName(name, where);
  return name;
}

/**
 * One `--env` argument: `NAME=value` (the value as written, `=` included), or `NAME`, whose value
 * comes from this process' environment (unset is an error: docker would silently drop it).
 */
export function parseEnvArgument(text: string, lookup: EnvLookup): [string, string] {
  const eq = text.indexOf("=");
  const name = checkName(eq < 0 ? text : text.slice(0, eq), "--env");
  if (eq >= 0) return [name, text.slice(eq + 1)];
  const value = lookup(name);
  if (value === undefined) {
    throw new ModelboxDevError(
      "INVALID_ENV",
      `--env ${name}: ${name} is not set in this shell, so there is no value to pass.`,
      `Export it first (export ${name}=…), or write --env ${name}=VALUE.`,
    );
  }
  return [name, value];
}

/**
 * docker's env-file format: one `NAME=value` per line, the value taken literally (no quotes
 * removed, spaces kept); `NAME` alone takes the value from this process' environment and is
 * skipped when unset; blank lines and lines starting with `#` are ignored; leading whitespace is
 * dropped; a UTF-8 byte order mark at the start is ignored.
 */
export function parseEnvFile(file: EnvFileText, lookup: EnvLookup): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  const lines = file.text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const where = `${file.path} line ${index + 1}`;
    const name = checkName(eq < 0 ? line : line.slice(0, eq), where);
    if (eq >= 0) {
      entries.push([name, line.slice(eq + 1)]);
      return;
    }
    const value = lookup(name);
    if (value !== undefined) entries.push([name, value]);
  });
  return entries;
}

/** Every variable the user set, from `--env-file` (in order) and then `--env` (in order). */
export function resolveUserEnv(
  request: { env?: readonly string[]; envFiles?: readonly EnvFileText[] },
  lookup: EnvLookup,
): UserEnvValues {
  const fromFiles: Record<string, string> = {};
  for (const file of request.envFiles ?? []) {
    for (const [name, value] of parseEnvFile(file, lookup)) fromFiles[name] = value;
  }
  const fromFlags: Record<string, string> = {};
  for (const text of request.env ?? []) {
    const [name, value] = parseEnvArgument(text, lookup);
    fromFlags[name] = value;
  }
  return { fromFiles, fromFlags };
}

/** The values as the container gets them: a flag replaces a file's value of the same name. */
export function mergedUserEnv(values: UserEnvValues): Record<string, string> {
  return { ...values.fromFiles, ...values.fromFlags };
}

/**
 * What the plan keeps of the user's variables: names, files, and a hash of names and values.
 * The hash is keyed by the environment's name so equal values in two environments do not show.
 */
export function describeUserEnv(
  environment: string,
  values: UserEnvValues,
  files: readonly string[],
): PlannedUserEnv | undefined {
  const merged = mergedUserEnv(values);
  const names = Object.keys(merged).sort();
  if (names.length === 0 && files.length === 0) return undefined;
  const hash = createHash("sha256")
    .update(`modelbox-dev env\0${environment}\0`)
    .update(JSON.stringify(names.map((n) => [n, merged[n]])))
    .digest("hex")
    .slice(0, 16);
  return { files: [...files], flagNames: Object.keys(values.fromFlags), names, hash };
}

/** Variables modelbox-dev sets for a choice another option makes. */
const SET_BY_OPTION: Record<string, string> = {
  NVIDIA_VISIBLE_DEVICES: "--gpus",
  ASCEND_VISIBLE_DEVICES: "--npu",
};

/**
 * modelbox-dev's own variables, with the user's taken into account: a variable that carries a
 * choice of `--gpus` or `--npu` cannot be set by hand as well; any other of ours that the user
 * sets is theirs (e.g. NVIDIA_DRIVER_CAPABILITIES=all), with a note.
 */
export function withUserEnv(
  planned: Record<string, string>,
  userEnv: PlannedUserEnv | undefined,
): { env: Record<string, string>; notes: string[] } {
  const env = { ...planned };
  const notes: string[] = [];
  for (const name of userEnv?.names ?? []) {
    if (!(name in env)) continue;
    const option = SET_BY_OPTION[name];
    if (option) {
      throw new ModelboxDevError(
        "INVALID_ENV",
        `${name} is set by modelbox-dev from ${option}; it cannot be set with --env as well.`,
        `Choose with ${option} instead, and leave ${name} out of --env and --env-file.`,
      );
    }
    notes.push(`${name} is yours (--env): modelbox-dev would have set ${name}=${env[name]}.`);
    delete env[name];
  }
  return { env, notes };
}
