import { ls } from "../../environment/ls.js";
import type { LsResult } from "../../environment/types.js";
import { runOperation } from "../client.js";
import { formatTable, printJson, printLine } from "../output.js";
import { leftovers } from "./rm.js";

/** Which image the environment really runs (R9): its digest when known, else the image id. */
function imageShortId(e: { imageDigest?: string; imageId?: string }): string {
  const digest = e.imageDigest?.split("@")[1];
  return (digest ?? e.imageId ?? "").replace(/^sha256:/, "").slice(0, 12);
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
  printLine(formatTable(["VOLUME", "ENVIRONMENT", "HOLDS", "CREATED"], rows));
}

export async function run(flags: {
  all?: boolean;
  volumes?: boolean;
  json?: boolean;
}): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    ls({ all: flags.all ?? false, volumes: flags.volumes ?? false }, context),
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  if (result.environments.length === 0) {
    printLine(
      flags.all ? "No environments." : "No running environments (ls --all shows stopped ones).",
    );
  } else printTable(result.environments);
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

function printTable(environments: LsResult["environments"]): void {
  const rows = environments.map((e) => [
    e.name,
    e.state,
    e.image,
    Object.entries(e.ports)
      .map(([k, v]) => `${k}:${v}`)
      .join(" "),
    imageShortId(e),
    e.created.replace("T", " ").slice(0, 19),
  ]);
  printLine(formatTable(["NAME", "STATE", "IMAGE", "PORTS", "IMAGE ID", "CREATED"], rows));
}
