import { distance } from "fastest-levenshtein";
import { ModelboxDevError } from "../errors.js";
import type { ContainerDetails, ContainerEngine, ContainerSummary } from "../engine/types.js";
import { LABELS, MANAGED_FILTER } from "../labels.js";
import { byName } from "../name-order.js";

export function isManaged(c: { labels: Record<string, string> }): boolean {
  return c.labels[LABELS.managed] === "true";
}

/** Our environments: one engine call, filtered by label. */
export async function listEnvironments(
  engine: ContainerEngine,
  all: boolean,
): Promise<ContainerSummary[]> {
  const list = await engine.listContainers({ all, labels: [MANAGED_FILTER] });
  return list.sort((a, b) => byName(a.name, b.name));
}

/** The environment with this name, or a clear error when there is none or it is not ours. */
export async function getEnvironment(
  engine: ContainerEngine,
  name: string,
): Promise<ContainerDetails> {
  const c = await engine.inspectContainer(name);
  // inspect also matches id prefixes; only an exact name counts as "this environment".
  if (!c || (c.name !== name && !c.id.startsWith(name))) throw await notFound(engine, name);
  if (!isManaged(c)) {
    throw new ModelboxDevError(
      "NOT_MANAGED",
      `Container ${JSON.stringify(name)} was not created by modelbox-dev; leaving it alone.`,
      "Manage it with docker directly, or pick another name.",
    );
  }
  return c;
}

/** NOT_FOUND, naming the environments there are (a typo is then plain to see). */
async function notFound(engine: ContainerEngine, name: string): Promise<ModelboxDevError> {
  // Closest first: the one that was meant is usually a typo away.
  const names = (await listEnvironments(engine, true).catch(() => []))
    .map((c) => c.name)
    .sort((a, b) => distance(a, name) - distance(b, name) || byName(a, b));
  const shown = names.slice(0, 20).join(", ") + (names.length > 20 ? `, … (${names.length})` : "");
  return new ModelboxDevError(
    "NOT_FOUND",
    `No environment named ${JSON.stringify(name)}.`,
    names.length === 0
      ? "There are no environments yet: make one with 'modelbox-dev up NAME'."
      : `Environments here: ${shown} ('modelbox-dev ls --all' shows them).`,
  );
}

/** Container log lines to attach to a failure (never throws: the failure matters more). */
export async function lastLogLines(
  engine: ContainerEngine,
  id: string,
  count = 20,
): Promise<string[]> {
  try {
    const text = await engine.logs(id, { tail: count });
    return (
      text
        .split(/\r?\n/)
        // eslint-disable-next-line no-control-regex -- terminal colour codes in systemd's output
        .map((l) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").trimEnd())
        .filter((l) => l.length > 0)
        .slice(-count)
    );
  } catch {
    return [];
  }
}

/** Commands that work inside an environment need it running; say how to get there. */
export function assertRunning(c: ContainerDetails, name: string, startHint = ""): void {
  if (c.status === "running") return;
  throw new ModelboxDevError(
    "NOT_RUNNING",
    `Environment ${JSON.stringify(name)} is not running (${c.status}).`,
    `Start it with 'modelbox-dev start ${name}'${startHint}.`,
  );
}
