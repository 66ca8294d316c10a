import { type ErrorCode, ModelboxDevError } from "./errors.js";

/**
 * Rules every text a user hands over obeys, whatever it names: it is not empty (an empty value is
 * a mistake, such as an unset shell variable, never "not given"), and it has no control
 * characters. Values end up in printed commands, scripts, URLs and ~/.ssh/config, where a newline
 * or an escape sequence would add a line or rewrite the terminal.
 */

/** C0 controls (newline, tab, ESC, NUL…), DEL and the C1 controls. */
// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const CONTROL_NAMES: Record<string, string> = {
  "\n": "a newline",
  "\r": "a carriage return",
  "\t": "a tab",
  "\u0000": "a NUL byte",
  "\u001b": "an escape (ESC)",
  "\u007f": "a DEL",
};

/** The first control character of `text`, named for a person; undefined when there is none. */
export function controlCharacterIn(text: string): string | undefined {
  const found = CONTROL.exec(text)?.[0];
  if (found === undefined) return undefined;
  const code = found.charCodeAt(0).toString(16).padStart(4, "0");
  return `${CONTROL_NAMES[found] ?? "a control character"} (U+${code.toUpperCase()})`;
}

export const CONTROL_HINT =
  "Control characters (newline, tab, escape, NUL, DEL) cannot be part of a value: they would add lines to the printed commands, scripts or ~/.ssh/config. Type the value again without them.";

/**
 * `value` as given for `what` (e.g. "--mount"), or INVALID_OPTION (or `code`) when it is empty or
 * holds a control character.
 */
export function checkText(
  value: string,
  what: string,
  options: { code?: ErrorCode; example?: string; required?: boolean } = {},
): string {
  const code = options.code ?? "INVALID_OPTION";
  if (value.trim() === "") {
    throw new ModelboxDevError(
      code,
      `${what} is empty${value === "" ? "" : " (only spaces)"}.`,
      `Give a value${options.example ? `, e.g. ${options.example}` : ""}${options.required ? "" : `, or leave ${what.replace(/^The /, "the ")} out to use its default`}. (An unset shell variable expands to nothing: check the command line.)`,
    );
  }
  const control = controlCharacterIn(value);
  if (control) {
    throw new ModelboxDevError(
      code,
      `${what} ${JSON.stringify(value)} contains ${control}.`,
      CONTROL_HINT,
    );
  }
  return value;
}

/** No control character in `value` (which may be empty): for paths and names inside values. */
export function checkNoControl(value: string, what: string, code: ErrorCode): string {
  const control = controlCharacterIn(value);
  if (control) {
    throw new ModelboxDevError(
      code,
      `${what} ${JSON.stringify(value)} contains ${control}.`,
      CONTROL_HINT,
    );
  }
  return value;
}

/**
 * A whole number written in decimal digits, from `min` to `max`: never rounded (a number beyond
 * 2^53 is refused by its digits, before it could lose precision), never NaN or Infinity.
 */
export function parseWholeNumber(
  text: string | number,
  what: string,
  range: { min: number; max: number; code?: ErrorCode; example: string },
): number {
  const written = String(text).trim();
  const digits = /^\d+$/.test(written) ? written.replace(/^0+(?=\d)/, "") : undefined;
  const n = digits !== undefined && digits.length <= 16 ? Number(digits) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new ModelboxDevError(
      range.code ?? "INVALID_OPTION",
      `${what} ${JSON.stringify(String(text))} is not a whole number from ${range.min} to ${range.max}.`,
      `Give a whole number in decimal digits, e.g. ${range.example}.`,
    );
  }
  return n;
}
