import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * The first executable file `program` names on PATH, as execvp finds it (a name with a slash is
 * taken as it is). Relative PATH entries are skipped: they would depend on the directory the
 * command happens to run in.
 */
export function findOnPath(
  program: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const candidates = program.includes("/")
    ? [program]
    : (env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => isAbsolute(dir))
        .map((dir) => join(dir, program));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
