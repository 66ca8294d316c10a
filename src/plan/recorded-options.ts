import { ModelboxDevError } from "../errors.js";
import type { UpOptions } from "./options.js";
import { canonicalJson } from "./spec-hash.js";

/**
 * The options an environment was made with, as its options label keeps them: what `upgrade`
 * needs to make the same environment again with another image. The image is the one `up`
 * resolved (a chosen image stays chosen). Variables are kept by name only: their values are in
 * the container's own configuration, where `upgrade` takes them from.
 */
export interface RecordedOptions {
  /** Format of this record. */
  format: 1;
  image: string;
  kind?: string;
  gpus?: string;
  npu?: string;
  debug?: string;
  mount: string[];
  defaultMounts: boolean;
  sshPort?: string;
  editorPort?: string;
  httpPort?: string;
  bind?: string;
  publish: string[];
  envNames: string[];
  shmSize?: string;
  memory?: string;
  cpus?: string;
  ulimit: string[];
  homeVolume: boolean;
  sshKey?: string;
  sshConfig: boolean;
  developMode: boolean;
  editorAllow: string[];
  hostAddress?: string;
}

const text = (value: string | number | undefined) =>
  value === undefined ? undefined : String(value);

/** The options label's value for these options, the image `up` resolved and the variables set. */
export function recordOptions(
  options: UpOptions,
  resolved: { image: string; gpus?: string; envNames: string[] },
): string {
  const record: RecordedOptions = {
    format: 1,
    image: resolved.image,
    kind: options.kind,
    gpus: resolved.gpus,
    npu: options.npu,
    debug: options.debug,
    mount: options.mount ?? [],
    defaultMounts: options.defaultMounts ?? true,
    sshPort: text(options.sshPort),
    editorPort: text(options.editorPort),
    httpPort: text(options.httpPort),
    bind: options.bind,
    publish: options.publish ?? [],
    envNames: resolved.envNames,
    shmSize: text(options.shmSize),
    memory: text(options.memory),
    cpus: text(options.cpus),
    ulimit: options.ulimit ?? [],
    homeVolume: options.homeVolume ?? true,
    sshKey: options.sshKey,
    sshConfig: options.sshConfig ?? true,
    developMode: options.developMode ?? true,
    editorAllow: options.editorAllow ?? [],
    hostAddress: options.hostAddress,
  };
  return canonicalJson(record);
}

const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === "string");

const STRING_KEYS = [
  "kind",
  "gpus",
  "npu",
  "debug",
  "sshPort",
  "editorPort",
  "httpPort",
  "bind",
  "shmSize",
  "memory",
  "cpus",
  "sshKey",
  "hostAddress",
] as const;
const LIST_KEYS = ["mount", "publish", "envNames", "ulimit", "editorAllow"] as const;
const FLAG_KEYS = ["defaultMounts", "homeVolume", "sshConfig", "developMode"] as const;

/** The options label read back; undefined when the environment has none (made before it). */
export function readRecordedOptions(
  label: string | undefined,
  name: string,
): RecordedOptions | undefined {
  if (label === undefined) return undefined;
  const broken = new ModelboxDevError(
    "NOT_UPGRADABLE",
    `The options recorded on ${name} (label io.modelbox-dev.options) cannot be read.`,
    `Make it again with 'modelbox-dev up ${name} --recreate' and the options you want.`,
  );
  let raw: unknown;
  try {
    raw = JSON.parse(label);
  } catch {
    throw broken;
  }
  if (!raw || typeof raw !== "object") throw broken;
  const r = raw as Record<string, unknown>;
  const ok =
    r.format === 1 &&
    typeof r.image === "string" &&
    STRING_KEYS.every((k) => r[k] === undefined || typeof r[k] === "string") &&
    LIST_KEYS.every((k) => isStrings(r[k])) &&
    FLAG_KEYS.every((k) => typeof r[k] === "boolean");
  if (!ok) throw broken;
  return r as unknown as RecordedOptions;
}

/** `up`'s options that make the recorded environment, with the variables' values given. */
export function upOptionsFromRecord(
  record: RecordedOptions,
  envValues: Record<string, string>,
): UpOptions {
  const options: Partial<RecordedOptions> = { ...record };
  delete options.format;
  delete options.envNames;
  // A library caller could once pass "" for "not given", and it was recorded as given: it is
  // read back as what it meant (`up` now refuses an empty value).
  for (const key of STRING_KEYS) if (options[key] === "") delete options[key];
  for (const key of LIST_KEYS) {
    if (key !== "envNames") options[key] = options[key]?.filter((v) => v !== "");
  }
  return {
    ...(options as UpOptions),
    env: record.envNames.filter((n) => n in envValues).map((n) => `${n}=${envValues[n]}`),
  };
}
