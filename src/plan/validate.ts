import { isIP } from "node:net";
import { posix } from "node:path";
import { ModelboxDevError } from "../errors.js";
import { checkNoControl, checkText } from "../input-text.js";
import type { PlannedMount, RestartPolicy } from "./types.js";

/**
 * Options this check leaves to their own: the password and the variables (secrets: their checks
 * never show the value), the name (validateName).
 */
const OWN_CHECKS = new Set(["password", "env", "name"]);

/**
 * The command line's rule for every text option, for library and web callers too: an empty value
 * is an error (an unset variable, a blank field: never "not given"), and no value has control
 * characters. Each is named by its flag (`sshKey` as --ssh-key).
 */
export function checkOptionTexts(options: object): void {
  for (const [key, value] of Object.entries(options)) {
    if (OWN_CHECKS.has(key)) continue;
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    for (const text of typeof value === "string" ? [value] : Array.isArray(value) ? value : []) {
      if (typeof text === "string") checkText(text, flag);
    }
  }
}

/** Docker's own rule for container names. */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateName(name: string): string {
  if (!CONTAINER_NAME.test(name) || name.length > 128) {
    throw new ModelboxDevError(
      "INVALID_NAME",
      `Invalid environment name ${JSON.stringify(name)}.`,
      "Use 2-128 characters: letters, digits, '_', '.', '-', starting with a letter or digit (e.g. mybox).",
    );
  }
  return name;
}

export function parsePort(value: string | number, flag: string): number {
  const text = String(value).trim();
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ModelboxDevError(
      "INVALID_PORT",
      `${flag} ${JSON.stringify(String(value))} is not a port number.`,
      "Give a whole number from 1 to 65535, e.g. --ssh-port 50022.",
    );
  }
  return port;
}

export function validateBindAddress(address: string): string {
  if (address !== "" && isIP(address) === 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--bind ${JSON.stringify(address)} is not an IP address.`,
      "Use an address of this host, e.g. --bind 127.0.0.1 (local only) or --bind 0.0.0.0 (all interfaces).",
    );
  }
  return address;
}

/** SRC:DST[:ro|rw] with absolute paths; existence of SRC is checked by the caller on the host. */
export function parseMount(text: string): PlannedMount {
  checkNoControl(text, "--mount", "INVALID_MOUNT");
  const parts = text.split(":");
  const [source, target, mode, ...rest] = parts;
  const hint =
    "Write --mount /abs/host/path:/abs/container/path[:ro], e.g. --mount /data:/data:ro.";
  if (
    !source ||
    !target ||
    rest.length > 0 ||
    (mode !== undefined && mode !== "ro" && mode !== "rw")
  ) {
    throw new ModelboxDevError("INVALID_MOUNT", `Cannot read mount ${JSON.stringify(text)}.`, hint);
  }
  for (const [what, path] of [
    ["source", source],
    ["target", target],
  ] as const) {
    if (!posix.isAbsolute(path)) {
      throw new ModelboxDevError(
        "INVALID_MOUNT",
        `Mount ${what} ${JSON.stringify(path)} is not an absolute path.`,
        what === "source"
          ? `Use an absolute host path, e.g. --mount "$PWD/${path.replace(/^\.\//, "")}:${target}".`
          : hint,
      );
    }
  }
  const clean = (path: string) => posix.normalize(path).replace(/(.)\/+$/, "$1");
  if (clean(target) === "/") {
    throw new ModelboxDevError(
      "INVALID_MOUNT",
      "Cannot mount over the container's root (/).",
      hint,
    );
  }
  return {
    source: clean(source),
    target: clean(target),
    readOnly: mode === "ro",
    purpose: "user",
  };
}

/** The highest /dev/davinci<N> index taken (servers have a few dozen chips at most). */
const MAX_CHIP_INDEX = 1023;

/** "0-3,5" → [0, 1, 2, 3, 5]. */
export function parseChipList(text: string): number[] {
  const chips = new Set<number>();
  const bad = () =>
    new ModelboxDevError(
      "INVALID_OPTION",
      `--npu ${JSON.stringify(text)} is not a chip list.`,
      `List /dev/davinci<N> indices from 0 to ${MAX_CHIP_INDEX}, e.g. --npu 0 or --npu 0-3,5 (see 'ls /dev/davinci*').`,
    );
  // Indices are read by their digits with a bound: a huge one can neither round nor loop forever.
  const index = (digits: string) => {
    const n = digits.length <= 4 ? Number(digits) : NaN;
    if (!(n <= MAX_CHIP_INDEX)) throw bad();
    return n;
  };
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m?.[1]) throw bad();
    const from = index(m[1]);
    const to = m[2] === undefined ? from : index(m[2]);
    if (to < from) throw bad();
    if (chips.has(from) || (to > from && [...chips].some((c) => c >= from && c <= to))) {
      throw new ModelboxDevError(
        "INVALID_OPTION",
        `--npu ${JSON.stringify(text)} names a chip more than once.`,
        "List each /dev/davinci<N> index once, e.g. --npu 0-3,5 (see 'ls /dev/davinci*').",
      );
    }
    for (let i = from; i <= to; i++) chips.add(i);
  }
  return [...chips].sort((a, b) => a - b);
}

/** [0,1,2,3,5] → "0-3,5" (the form ASCEND_VISIBLE_DEVICES takes). */
export function formatChipList(chips: number[]): string {
  const ranges: string[] = [];
  let start = chips[0];
  let prev = start;
  for (const chip of [...chips.slice(1), undefined]) {
    if (chip !== undefined && prev !== undefined && chip === prev + 1) {
      prev = chip;
      continue;
    }
    if (start !== undefined && prev !== undefined)
      ranges.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = chip;
    prev = chip;
  }
  return ranges.join(",");
}

const RESTART = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/;

/** `--restart no|always|unless-stopped|on-failure[:N]`, as `docker run` takes it. */
export function parseRestartPolicy(value: string): RestartPolicy {
  const m = RESTART.exec(value);
  const name = m?.[1] as RestartPolicy["name"] | undefined;
  const count = m?.[2] === undefined ? undefined : Number(m[2]);
  const bad =
    !name ||
    (count !== undefined &&
      (name !== "on-failure" || !Number.isSafeInteger(count) || count > MAX_RETRY_COUNT));
  if (bad) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--restart ${JSON.stringify(value)} is not a restart policy.`,
      `Give no, always, unless-stopped (the default) or on-failure[:N] with N up to ${MAX_RETRY_COUNT}, e.g. --restart on-failure:3.`,
    );
  }
  return count ? { name, maximumRetryCount: count } : { name };
}

/** The engine keeps the retry count in a 32-bit integer. */
const MAX_RETRY_COUNT = 2_147_483_647;

/**
 * The longest wait taken: a day. Longer ones are surely a typo, and Node's timers cannot count
 * beyond about 24.8 days (a longer one fires at once).
 */
export const MAX_TIMEOUT_SECONDS = 86_400;

/** `--timeout SECONDS`: a positive decimal number up to a day, or a clear error. */
export function parseTimeoutSeconds(value: string): number {
  const text = value.trim();
  const seconds = /^\d{1,6}(\.\d{1,3})?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--timeout ${JSON.stringify(value)} is not a number of seconds from 0.001 to ${MAX_TIMEOUT_SECONDS}.`,
      "Give the seconds in decimal digits, e.g. --timeout 300.",
    );
  }
  return seconds;
}
