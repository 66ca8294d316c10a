import { type DigestCheck, checkImageDigest } from "../../registry/check-digest.js";
import { effectiveRegistries } from "../../config/registries.js";
import { getEnvironment, listEnvironments } from "../../environment/find.js";
import { LABELS } from "../../labels.js";
import { createEngine } from "../context.js";
import { formatTable, logLine, printJson, printLine } from "../output.js";
import { registryContext } from "../../environment/registry-context.js";
import { withInterrupt } from "../client.js";

interface Row {
  name: string;
  image: string;
  check: DigestCheck;
}

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

/**
 * `outdated [NAME]`: for each environment (stopped ones too: they run the image on start),
 * whether its image tag now points to another image in the registry that served it (R9).
 */
export async function run(
  name: string | undefined,
  flags: { registry?: string[]; json?: boolean },
): Promise<number> {
  const engine = createEngine();
  const context = await registryContext();
  const override = flags.registry?.length ? effectiveRegistries(flags.registry, {}) : undefined;
  const environments = name
    ? [await getEnvironment(engine, name)]
    : await listEnvironments(engine, true);
  // Environments on the same image and digest need one question to the registry.
  const asked = new Map<string, Promise<DigestCheck>>();
  const rows: Row[] = await withInterrupt((signal) =>
    Promise.all(
      environments.map(async (c) => {
        const image = c.labels[LABELS.image] ?? c.image;
        const recorded = c.labels[LABELS.imageDigest];
        const key = `${image} ${recorded ?? ""}`;
        let check = asked.get(key);
        if (!check) {
          check = checkImageDigest(image, recorded, {
            ...(override ? { registries: override } : {}),
            known: context.registries,
            credentials: context.credentials,
            signal,
          });
          asked.set(key, check);
        }
        return { name: c.name, image, check: await check };
      }),
    ),
  );
  const outdated = rows.filter((r) => r.check.status === "outdated");
  if (flags.json) {
    printJson({
      ok: true,
      outdated: outdated.length,
      environments: rows.map((r) => ({ name: r.name, image: r.image, ...r.check })),
    });
    return 0;
  }
  if (rows.length === 0) {
    printLine("No environments.");
    return 0;
  }
  printLine(
    formatTable(
      ["NAME", "IMAGE", "STATUS", "DETAIL"],
      rows.map((r) => [r.name, r.image, r.check.status, detail(r.check)]),
    ),
  );
  for (const r of outdated) {
    logLine(
      `To update ${r.name}: 'modelbox-dev pull ${r.image}', then 'modelbox-dev rm -f ${r.name}' and 'modelbox-dev up ${r.name}' with its options (/home and /opt/modelbox stay on the host).`,
    );
  }
  return 0;
}
