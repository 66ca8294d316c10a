import { ModelboxDevError } from "../errors.js";

/**
 * `--cpus` and `--memory` (and sizes such as `--pvc-size`): read once here, so every command and
 * every renderer (docker run, Kubernetes) means the same amount by the same text.
 */
export interface ResourceLimits {
  /** CPUs, e.g. 1.5; a whole number of thousandths (Kubernetes' smallest unit is 1m). */
  cpus?: number;
  memoryBytes?: number;
}

const MAX_CPUS = 4096;

export function parseCpus(value: string | number): number {
  const text = String(value).trim();
  const cpus = /^\d+(\.\d{1,3})?$/.test(text) ? Number(text) : NaN;
  if (!(cpus > 0) || cpus > MAX_CPUS) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--cpus ${JSON.stringify(String(value))} is not a number of CPUs.`,
      "Give a positive number with at most three decimals, e.g. --cpus 4 or --cpus 1.5.",
    );
  }
  return cpus;
}

/** Units as `docker run --memory` reads them (k = 1024) plus Kubernetes' binary suffixes. */
const UNIT_POWERS: Record<string, number> = { "": 0, k: 1, m: 2, g: 3, t: 4 };
const SIZE = /^(\d+)\s*(?:([kmgt])(?:i?b?)?|b)?$/i;

/**
 * "8g", "8G", "8Gi", "8GiB", "512m", "1073741824": all binary multiples, as Docker reads them.
 * A decimal unit (Kubernetes' "8G" = 8·10⁹) is never meant here: one rule for both targets.
 */
export function parseSize(value: string | number, flag: string): number {
  const text = String(value).trim();
  const m = SIZE.exec(text);
  const power = m ? UNIT_POWERS[(m[2] ?? "").toLowerCase()] : undefined;
  const bytes = m?.[1] !== undefined && power !== undefined ? Number(m[1]) * 1024 ** power : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `${flag} ${JSON.stringify(String(value))} is not a size.`,
      `Give a whole number with an optional unit k, m, g or t (powers of 1024; Ki/Mi/Gi/Ti mean the same), e.g. ${flag} 16g.`,
    );
  }
  return bytes;
}

/** The smallest memory a container can be given (Docker refuses less than 6 MiB). */
const MIN_MEMORY = 6 * 1024 * 1024;

export function parseMemory(value: string | number): number {
  const bytes = parseSize(value, "--memory");
  if (bytes < MIN_MEMORY) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--memory ${JSON.stringify(String(value))} is too small.`,
      "A ModelBox environment needs gigabytes: give e.g. --memory 8g (at least 6m).",
    );
  }
  return bytes;
}

/** Both options, as the plan records them (absent when not given). */
export function parseResourceLimits(
  cpus: string | number | undefined,
  memory: string | number | undefined,
): ResourceLimits {
  return {
    ...(cpus !== undefined ? { cpus: parseCpus(cpus) } : {}),
    ...(memory !== undefined ? { memoryBytes: parseMemory(memory) } : {}),
  };
}

const BINARY_SUFFIXES = [
  ["T", 4],
  ["G", 3],
  ["M", 2],
  ["K", 1],
] as const;

/** Bytes in the largest unit that divides them: docker's "8g", or Kubernetes' "8Gi". */
function largestUnit(bytes: number): { count: number; unit: string } {
  for (const [unit, power] of BINARY_SUFFIXES) {
    const size = 1024 ** power;
    if (bytes % size === 0) return { count: bytes / size, unit };
  }
  return { count: bytes, unit: "" };
}

/** `docker run --memory` spelling: 8g, 512m, or bytes. */
export function dockerSize(bytes: number): string {
  const { count, unit } = largestUnit(bytes);
  return `${count}${unit.toLowerCase()}`;
}

/** A Kubernetes quantity for bytes: 8Gi, 512Mi, 1536Ki, or plain bytes. */
export function kubernetesSize(bytes: number): string {
  const { count, unit } = largestUnit(bytes);
  return unit ? `${count}${unit}i` : `${count}`;
}

/** A Kubernetes CPU quantity: "2" for whole CPUs, "1500m" otherwise. */
export function kubernetesCpu(cpus: number): string {
  const millis = Math.round(cpus * 1000);
  return millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`;
}
