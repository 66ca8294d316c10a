import { toModelboxDevError } from "../errors.js";

export { toModelboxDevError };

/** Exactly one JSON object on stdout for --json; everything else goes to stderr. */
export function printJson(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Progress and notes for humans: stderr, so stdout stays clean for pipes. */
export function logLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Prints an error the way the user asked for (JSON or text) and returns the exit code. */
export function reportError(err: unknown, json: boolean): number {
  const e = toModelboxDevError(err);
  if (json) {
    printJson({
      ok: false,
      error: {
        code: e.code,
        message: e.message,
        ...(e.hint ? { hint: e.hint } : {}),
        ...(e.details.length ? { details: e.details } : {}),
      },
    });
  } else {
    logLine(`error: ${e.message}`);
    for (const line of e.details) logLine(line);
    if (e.hint) logLine(`hint: ${e.hint}`);
  }
  if (process.env.MODELBOX_DEV_DEBUG && e.cause instanceof Error && e.cause.stack) {
    logLine(e.cause.stack);
  }
  // Ctrl-C: the status a shell reports for SIGINT.
  return e.code === "INTERRUPTED" ? 130 : 1;
}

/** Left-aligned columns for `ls` and `images`. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
