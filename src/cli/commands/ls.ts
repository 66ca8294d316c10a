import { listEnvironments } from "../../environment/find.js";
import { LABELS } from "../../labels.js";
import { createEngine } from "../context.js";
import { portsByPurpose } from "../describe-environment.js";
import { formatTable, printJson, printLine } from "../output.js";

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
        ...(c.labels[LABELS.imageDigest] ? { imageDigest: c.labels[LABELS.imageDigest] } : {}),
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
      c.created.toISOString().replace("T", " ").slice(0, 19),
    ];
  });
  printLine(formatTable(["NAME", "STATE", "IMAGE", "PORTS", "CREATED"], rows));
  return 0;
}
