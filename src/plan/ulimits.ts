import { ModelboxDevError } from "../errors.js";
import type { PlannedUlimit } from "./types.js";
import { byName } from "../name-order.js";

/**
 * `--ulimit NAME=SOFT[:HARD]` as `docker run --ulimit` reads it (docker/go-units): the names
 * Docker accepts, whole numbers, -1 for unlimited, HARD defaults to SOFT, SOFT ≤ HARD.
 */
export const ULIMIT_NAMES = [
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack",
] as const;

const HINT =
  "Write --ulimit NAME=SOFT[:HARD], e.g. --ulimit nofile=65536:65536 or --ulimit core=-1.";

function invalid(text: string, why: string): ModelboxDevError {
  return new ModelboxDevError("INVALID_OPTION", `--ulimit ${JSON.stringify(text)}: ${why}.`, HINT);
}

function limit(value: string, text: string): number {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < -1) {
    throw invalid(text, `${JSON.stringify(value)} is not a whole number (or -1 for unlimited)`);
  }
  return n;
}

/** -1 is unlimited: larger than any number. */
const atMost = (soft: number, hard: number) => hard === -1 || (soft !== -1 && soft <= hard);

export function parseUlimit(text: string): PlannedUlimit {
  const eq = text.indexOf("=");
  const name = text.slice(0, Math.max(eq, 0)).trim();
  if (eq < 0 || name === "") throw invalid(text, "it needs a name and a value");
  if (!(ULIMIT_NAMES as readonly string[]).includes(name)) {
    throw invalid(text, `${JSON.stringify(name)} is not one of ${ULIMIT_NAMES.join(", ")}`);
  }
  const [softText = "", hardText, ...rest] = text.slice(eq + 1).split(":");
  if (rest.length > 0) throw invalid(text, "give at most a soft and a hard limit");
  const soft = limit(softText, text);
  const hard = hardText === undefined ? soft : limit(hardText, text);
  if (!atMost(soft, hard))
    throw invalid(text, `the soft limit ${soft} exceeds the hard limit ${hard}`);
  return { name, soft, hard };
}

/** Every `--ulimit`, one per name, sorted by name (as the docker CLI sends them). */
export function parseUlimits(texts: readonly string[]): PlannedUlimit[] {
  const out: PlannedUlimit[] = [];
  for (const text of texts) {
    const u = parseUlimit(text);
    if (out.some((o) => o.name === u.name)) {
      throw invalid(text, `${u.name} is given more than once`);
    }
    out.push(u);
  }
  return out.sort((a, b) => byName(a.name, b.name));
}

/** `docker run --ulimit` spelling. */
export function formatUlimit(u: PlannedUlimit): string {
  return `${u.name}=${u.soft}:${u.hard}`;
}
