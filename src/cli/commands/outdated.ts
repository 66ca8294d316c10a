import { outdated } from "../../environment/outdated.js";
import type { DigestCheck } from "../../registry/check-digest.js";
import { runOperation } from "../client.js";
import { formatTable, logLine, printJson, printLine } from "../output.js";

function short(digest: string | undefined): string {
  return digest ? digest.slice(0, "sha256:".length + 12) : "?";
}

function detail(check: DigestCheck): string {
  if (check.status === "outdated") {
    return `${check.registry ?? "registry"} now has ${short(check.registryDigest)}, the environment runs ${short(check.runningDigest)}`;
  }
  if (check.status === "current")
    return check.reason ?? `same as ${check.registry ?? "the registry"}`;
  return check.reason ?? "";
}

/** `outdated [NAME]`: which environments run an image older than what its tag names now (R9). */
export async function run(
  name: string | undefined,
  flags: { registry?: string[]; json?: boolean },
): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    outdated(
      { ...(name ? { name } : {}), ...(flags.registry ? { registry: flags.registry } : {}) },
      context,
    ),
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  const rows = result.environments;
  if (rows.length === 0) {
    printLine("No environments.");
    return 0;
  }
  printLine(
    formatTable(
      ["NAME", "IMAGE", "STATUS", "DETAIL"],
      rows.map((r) => [r.name, r.image, r.status, detail(r)]),
    ),
  );
  for (const r of rows.filter((x) => x.status === "outdated")) {
    logLine(
      `To update ${r.name}: 'modelbox-dev pull ${r.image}', then 'modelbox-dev rm -f ${r.name}' and 'modelbox-dev up ${r.name}' with its options (/home and /opt/modelbox stay on the host).`,
    );
  }
  return 0;
}
