import { canonicalJson } from "./spec-hash.js";

/**
 * The spec's keys in the words of the command line: a "different options" refusal names the
 * flags to change, not the fields of the recorded spec. Keys no flag sets (the host changed,
 * or this tool did) say so.
 */
const FLAGS: Readonly<Record<string, string>> = {
  image: "--image / --version",
  env: "--gpus / --npu (the variables they set)",
  ports: "--ssh-port / --editor-port / --http-port / --bind",
  mounts: "--mount / --no-default-mounts",
  tmpfs: "(the host's cgroup setup)",
  cgroupnsMode: "(the host's cgroup version)",
  gpu: "--gpus",
  npu: "--npu",
  devices: "--npu / --debug",
  runtime: "--gpus / --npu (the runtime they use)",
  privileged: "--debug",
  capAdd: "--debug",
  securityOpt: "--debug",
  stopTimeoutSeconds: "(modelbox-dev's version)",
  publish: "--publish",
  userEnv: "--env / --env-file",
  resources: "--memory / --cpus",
  shmSize: "--shm-size",
  ulimits: "--ulimit",
  homeVolume: "--no-home-volume",
};

/** A spec value as a person reads it: lists joined, absent as "(none)", objects compact. */
function show(value: unknown): string {
  if (value === undefined || value === null || value === "") return "(none)";
  if (Array.isArray(value)) return value.length ? value.map(show).join(", ") : "(none)";
  if (typeof value === "string") return value;
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    // The variables' hash changes with their values, which are never shown.
    if ("names" in o && "hash" in o) return show(o.names);
    if ("mode" in o) {
      const rest = Object.entries(o).filter(([k]) => k !== "mode");
      return rest.length
        ? `${show(o.mode)} ${rest.map(([, v]) => show(v)).join(" ")}`
        : show(o.mode);
    }
  }
  return canonicalJson(value);
}

/** The names, when both sides are the user's variables under the same names. */
function sameVariableNames(before: unknown, after: unknown): string | undefined {
  const names = (v: unknown) =>
    typeof v === "object" && v !== null && "names" in v && "hash" in v
      ? show((v as { names: unknown }).names)
      : undefined;
  const a = names(before);
  return a !== undefined && a === names(after) ? a : undefined;
}

/** One line per flag whose value differs: `--gpus: all → 0,1`. */
export function flagDifferences(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const lines: string[] = [];
  for (const key of keys) {
    if (canonicalJson(before[key]) === canonicalJson(after[key])) continue;
    const same = sameVariableNames(before[key], after[key]);
    if (same !== undefined) {
      // Only a hash of the values is recorded, so which of them changed is not known.
      lines.push(`${FLAGS[key] ?? key}: a value of ${same} changed (values are never recorded)`);
      continue;
    }
    lines.push(`${FLAGS[key] ?? key}: ${show(before[key])} → ${show(after[key])}`);
  }
  return lines;
}
