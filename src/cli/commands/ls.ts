import { enginesForAllContexts } from "../../engine/select/create-engine.js";
import type { ContainerSummary } from "../../engine/types.js";
import { listEnvironments } from "../../environment/find.js";
import { listEnvironmentsOnHosts } from "../../environment/list-on-hosts.js";
import { LABELS } from "../../labels.js";
import { createEngine } from "../context.js";
import { portsByPurpose } from "../describe-environment.js";
import { formatTable, printJson, printLine } from "../output.js";

/** Which image the environment really runs (R9): its digest when known, else the image id. */
function imageShortId(labels: Record<string, string>): string {
  const digest = labels[LABELS.imageDigest]?.split("@")[1];
  const id = digest ?? labels[LABELS.imageId] ?? "";
  return id.replace(/^sha256:/, "").slice(0, 12);
}

function environmentJson(c: ContainerSummary) {
  return {
    name: c.name,
    id: c.id,
    state: c.status,
    image: c.labels[LABELS.image] ?? c.image,
    ports: portsByPurpose(c),
    created: c.created.toISOString(),
    ...(c.labels[LABELS.imageId] ? { imageId: c.labels[LABELS.imageId] } : {}),
    ...(c.labels[LABELS.imageDigest] ? { imageDigest: c.labels[LABELS.imageDigest] } : {}),
    ...(c.labels[LABELS.cudaVersion] ? { cudaVersion: c.labels[LABELS.cudaVersion] } : {}),
  };
}

function row(c: ContainerSummary): string[] {
  const ports = portsByPurpose(c);
  return [
    c.name,
    c.status,
    c.labels[LABELS.image] ?? c.image,
    Object.entries(ports)
      .map(([k, v]) => `${k}:${v}`)
      .join(" "),
    imageShortId(c.labels),
    c.created.toISOString().replace("T", " ").slice(0, 19),
  ];
}

const HEADER = ["NAME", "STATE", "IMAGE", "PORTS", "IMAGE ID", "CREATED"];

/** --all-contexts: every configured context, asked in parallel; a host that does not answer is a line. */
async function runAllContexts(flags: { all?: boolean; json?: boolean }): Promise<number> {
  const hosts = await listEnvironmentsOnHosts(enginesForAllContexts(), flags.all ?? false);
  if (flags.json) {
    printJson({
      ok: true,
      hosts: hosts.map((h) => ({
        context: h.context,
        host: h.host,
        ...(h.url ? { url: h.url } : {}),
        ...(h.error ? { error: h.error } : {}),
        environments: h.environments.map(environmentJson),
      })),
    });
    return 0;
  }
  const rows = hosts.flatMap((h) => h.environments.map((c) => [h.host, h.context, ...row(c)]));
  if (rows.length > 0) printLine(formatTable(["HOST", "CONTEXT", ...HEADER], rows));
  else
    printLine(
      flags.all ? "No environments." : "No running environments (ls --all shows stopped ones).",
    );
  for (const h of hosts.filter((x) => x.error)) {
    printLine(
      `${h.host} (context ${h.context}, ${h.url ?? "no engine"}): not answering: ${h.error}`,
    );
  }
  return 0;
}

export async function run(flags: {
  all?: boolean;
  json?: boolean;
  allContexts?: boolean;
}): Promise<number> {
  if (flags.allContexts) return runAllContexts(flags);
  const list = await listEnvironments(createEngine(), flags.all ?? false);
  if (flags.json) {
    printJson({ ok: true, environments: list.map(environmentJson) });
    return 0;
  }
  if (list.length === 0) {
    printLine(
      flags.all ? "No environments." : "No running environments (ls --all shows stopped ones).",
    );
    return 0;
  }
  printLine(formatTable(HEADER, list.map(row)));
  return 0;
}
