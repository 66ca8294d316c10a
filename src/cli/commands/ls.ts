import { gpuColumn } from "../../environment/accelerators.js";
import { ls } from "../../environment/ls.js";
import type { EnvironmentSummary, LsResult } from "../../environment/types.js";
import { runOperation } from "../client.js";
import { formatTable, printJson, printLine } from "../output.js";
import { colorsFor, stateColor } from "../style.js";
import { outputWidth, renderTable } from "../table.js";
import { leftovers } from "../leftovers.js";

/** Which image the environment really runs (R9): its digest when known, else the image id. */
function imageShortId(e: { imageDigest?: string; imageId?: string }): string {
  const digest = e.imageDigest?.split("@")[1];
  return (digest ?? e.imageId ?? "").replace(/^sha256:/, "").slice(0, 12);
}

const HEADER = ["NAME", "STATE", "IMAGE", "PORTS", "IMAGE ID", "CREATED"];

function row(e: Omit<EnvironmentSummary, "accelerators">): string[] {
  return [
    e.name,
    e.state,
    e.image,
    Object.entries(e.ports)
      .map(([k, v]) => `${k}:${v}`)
      .join(" "),
    imageShortId(e),
    e.created.replace("T", " ").slice(0, 19),
  ];
}

function none(all: boolean | undefined): string {
  return all ? "No environments." : "No running environments (ls --all shows stopped ones).";
}

/** `ls --volumes`: what `rm` kept of environments that are gone. */
function printOrphanVolumes(volumes: LsResult["orphanVolumes"]): void {
  if (!volumes) return;
  printLine("");
  if (volumes.length === 0) {
    printLine("No volumes left by removed environments.");
    return;
  }
  printLine("Volumes whose environment is gone ('modelbox-dev up ENVIRONMENT' uses one again):");
  const rows = volumes.map((v) => [
    v.name,
    v.environment,
    v.holds === "home" ? "/root" : v.holds,
    (v.created ?? "").replace("T", " ").slice(0, 19),
  ]);
  const columns = [
    { header: "VOLUME", shrink: true },
    { header: "ENVIRONMENT" },
    { header: "HOLDS" },
    { header: "CREATED", dropOrder: 1 },
  ];
  printLine(renderTable(columns, rows, outputWidth()));
}

/**
 * The environments as a table that fits the terminal: the image id, created time and ports go
 * first, then the image name is shortened; who holds what (owner, GPUs) always shows.
 */
function printEnvironments(
  environments: LsResult["environments"],
  shortImageReference: (image: string) => string,
): void {
  const c = colorsFor();
  const rows = environments.map((e) => [
    e.name,
    e.state,
    e.owner ?? "-",
    shortImageReference(e.image),
    gpuColumn(e.accelerators),
    Object.entries(e.ports)
      .map(([k, v]) => `${k}:${v}`)
      .join(" "),
    imageShortId(e),
    e.created.replace("T", " ").slice(0, 16),
  ]);
  const columns = [
    { header: "NAME" },
    { header: "STATE", style: (cell: string) => stateColor(c, cell)(cell) },
    { header: "OWNER" },
    { header: "IMAGE", shrink: true },
    { header: "GPUS/NPUS" },
    { header: "PORTS", dropOrder: 3 },
    { header: "IMAGE ID", dropOrder: 5 },
    { header: "CREATED", dropOrder: 4 },
  ];
  printLine(renderTable(columns, rows, outputWidth()));
}

/** --all-contexts: every configured context, a HOST and CONTEXT column, a line per silent host. */
async function runAllContexts(flags: { all?: boolean; json?: boolean }): Promise<number> {
  const { lsAllContexts } = await import("../../environment/list-on-hosts.js");
  const result = await lsAllContexts({ all: flags.all ?? false });
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  const rows = result.hosts.flatMap((h) =>
    h.environments.map((e) => [h.host, h.context, ...row(e)]),
  );
  printLine(rows.length > 0 ? formatTable(["HOST", "CONTEXT", ...HEADER], rows) : none(flags.all));
  for (const h of result.hosts.filter((x) => x.error)) {
    printLine(
      `${h.host} (context ${h.context}, ${h.url ?? "no engine"}): not answering: ${h.error}`,
    );
  }
  return 0;
}

export async function run(flags: {
  all?: boolean;
  mine?: boolean;
  volumes?: boolean;
  json?: boolean;
  allContexts?: boolean;
}): Promise<number> {
  if (flags.allContexts) return runAllContexts(flags);
  const result = await runOperation(flags.json, (context) =>
    ls(
      { all: flags.all ?? false, mine: flags.mine ?? false, volumes: flags.volumes ?? false },
      context,
    ),
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  if (result.environments.length === 0) {
    const whose = flags.mine ? " of yours" : "";
    printLine(
      flags.all
        ? `No environments${whose}.`
        : `No running environments${whose} (ls --all shows stopped ones).`,
    );
  } else {
    // Only the table shortens image names: --json does not load the catalogue.
    const { shortImageReference } = await import("../../catalog/short-names.js");
    printEnvironments(result.environments, shortImageReference);
  }
  printOrphanVolumes(result.orphanVolumes);
  printStale(result.stale);
  return 0;
}

/** Local state whose container went behind modelbox-dev's back, and how to clean it. */
function printStale(stale: LsResult["stale"]): void {
  if (stale.length === 0) return;
  printLine("");
  printLine("Stale (no container of that name; 'modelbox-dev rm NAME' cleans it up):");
  for (const s of stale) printLine(`  ${s.name}: ${leftovers(s)}`);
}
