import { ModelboxDevError } from "../errors.js";

/**
 * Dotted numeric versions as drivers and engines print them: "460.27.03", "19.03",
 * "20.10.24+dfsg1", "28.0.0-rc.1", "24.1.RC2". Anything after the first `+`, `-` or `~` is a
 * build or distribution suffix, and the numbers stop at the first non-numeric part ("RC2"):
 * neither takes part in the comparison. A leading "v" is allowed.
 * Returns undefined when the text does not start with a number.
 */
export function parseVersion(text: string): number[] | undefined {
  const core = text.trim().replace(/^v/i, "").split(/[+~-]/, 1)[0] ?? "";
  const numbers: number[] = [];
  for (const part of core.split(".")) {
    if (!/^\d+$/.test(part)) break;
    // Numeric, so "460.27.03" equals "460.27.3" and "10" sorts after "9".
    numbers.push(Number(part));
  }
  return numbers.length === 0 ? undefined : numbers;
}

/** Negative when a < b, 0 when equal (missing parts count as 0), positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const left = requireVersion(a);
  const right = requireVersion(b);
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}

export function isVersionAtLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}

function requireVersion(text: string): number[] {
  const parsed = parseVersion(text);
  if (parsed === undefined) {
    throw new ModelboxDevError(
      "INVALID_FACTS",
      `"${text}" is not a dotted version number.`,
      'Versions look like "460.27.03" or "20.10.24+dfsg1"; check the facts file or the tool that reported it.',
    );
  }
  return parsed;
}
