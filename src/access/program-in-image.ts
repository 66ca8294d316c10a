import type { ContainerEngine, ContainerPathStat } from "../engine/types.js";

/** Where images put programs (the default PATH's directories). */
const PROGRAM_DIRS = [
  "/usr/local/sbin",
  "/usr/local/bin",
  "/usr/sbin",
  "/usr/bin",
  "/sbin",
  "/bin",
];

function isProgram(stat: ContainerPathStat | undefined): boolean {
  if (!stat) return false;
  return stat.kind === "symlink" || (stat.kind === "file" && (stat.mode & 0o111) !== 0);
}

/**
 * Whether a container has `name` in one of the default PATH's directories, read from its files
 * through the engine's archive endpoint: no process is started in a container that may still be
 * booting (an exec there costs 300-600 ms, and dockerd starts one at a time). Undefined when the
 * engine cannot tell (no archive endpoint): the caller asks with an exec.
 */
export async function programInImage(
  engine: ContainerEngine,
  id: string,
  name: string,
): Promise<boolean | undefined> {
  try {
    const stats = await Promise.all(
      PROGRAM_DIRS.map((dir) => engine.statPath(id, `${dir}/${name}`)),
    );
    return stats.some(isProgram);
  } catch {
    return undefined;
  }
}
