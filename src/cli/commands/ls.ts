import { listEnvironments } from "../../environment/find.js";
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

export async function run(flags: { all?: boolean; json?: boolean }): Promise<number> {
  const list = await listEnvironments(createEngine(), flags.all ?? false);
  if (flags.json) {
    printJson({
      ok: true,
      environments: list.map((c) => ({
        name: c.name,
        id: c.id,
        state: c.status,
        image: c.labels[LABELS.image] ?? c.image,
        ports: portsByPurpose(c),
        created: c.created.toISOString(),
        ...(c.labels[LABELS.imageId] ? { imageId: c.labels[LABELS.imageId] } : {}),
        ...(c.labels[LABELS.imageDigest] ? { imageDigest: c.labels[LABELS.imageDigest] } : {}),
        ...(c.labels[LABELS.cudaVersion] ? { cudaVersion: c.labels[LABELS.cudaVersion] } : {}),
      })),
    });
    return 0;
  }
  if (list.length === 0) {
    printLine(
      flags.all ? "No environments." : "No running environments (ls --all shows stopped ones).",
    );
    return 0;
  }
  const rows = list.map((c) => {
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
  });
  printLine(formatTable(["NAME", "STATE", "IMAGE", "PORTS", "IMAGE ID", "CREATED"], rows));
  return 0;
}
