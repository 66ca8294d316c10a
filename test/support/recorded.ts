import { readFileSync, readdirSync } from "node:fs";

/**
 * Real tool output kept under test/fixtures/recorded/ (where each came from: its SOURCES.md).
 * `recordedIn("nvidia-smi")` reads the files of one folder by name; `recordedIn()` takes paths
 * from the top.
 */
export function recordedIn(folder?: string): (name: string) => string {
  const base = folder === undefined ? "" : `${folder}/`;
  return (name) =>
    readFileSync(new URL(`../fixtures/recorded/${base}${name}`, import.meta.url), "utf8");
}

/** The names of the recorded files in one folder. */
export function recordedNames(folder: string): string[] {
  return readdirSync(new URL(`../fixtures/recorded/${folder}/`, import.meta.url));
}
