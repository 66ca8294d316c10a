import pc from "picocolors";

/** The colour functions this CLI uses; plain identity functions when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

interface Stream {
  isTTY?: boolean;
}

/**
 * Colour only for a person at a terminal: not when the stream is piped or redirected, not with
 * NO_COLOR set (no-color.org) or TERM=dumb; FORCE_COLOR (not "0") turns it on anyway.
 */
export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") {
    return true;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export function colorsFor(stream: Stream = process.stdout, env = process.env): Colors {
  return pc.createColors(colorEnabled(stream, env));
}

/** An environment's state: green when running, red when it stopped or died, yellow between. */
export function stateColor(c: Colors, state: string): (text: string) => string {
  if (state === "running") return c.green;
  if (state === "exited" || state === "dead") return c.red;
  return c.yellow;
}

/** Doctor's marks: pass green, WARN yellow, FAIL red (bold). */
export function checkMark(c: Colors, status: "pass" | "warn" | "fail"): string {
  if (status === "pass") return c.green("pass");
  if (status === "warn") return c.yellow("WARN");
  return c.bold(c.red("FAIL"));
}
