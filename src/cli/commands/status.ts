import { inspectAccess } from "../../access/inspect-access.js";
import { getEnvironment } from "../../environment/find.js";
import { readBanner } from "../../environment/readiness.js";
import { LABELS } from "../../labels.js";
import { accessJson } from "../access-hooks.js";
import { createEngine, reachOf } from "../context.js";
import { accessInfo, shortId } from "../describe-environment.js";
import { printJson, printLine } from "../output.js";

const answered = (ready: boolean) => (ready ? "answers" : "no answer");

export async function run(
  name: string,
  flags: { json?: boolean; hostAddress?: string },
): Promise<number> {
  const engine = createEngine();
  const c = await getEnvironment(engine, name);
  const reach = reachOf(engine.connection, c.ports[0]?.hostIp, flags.hostAddress);
  const access = accessInfo(c, reach);
  const outcome = await inspectAccess(engine, {
    name: c.name,
    containerId: c.id,
    running: c.status === "running",
    kind: c.labels[LABELS.kind],
    ports: access.ports,
    hostAddress: reach.hostAddress,
    connectAddress: reach.connectAddress,
    readBanner,
  });
  const image = {
    reference: c.labels[LABELS.image] ?? c.image,
    id: c.labels[LABELS.imageId] ?? c.imageId,
    ...(c.labels[LABELS.imageDigest] ? { digest: c.labels[LABELS.imageDigest] } : {}),
    ...(c.labels[LABELS.cudaVersion] ? { cudaVersion: c.labels[LABELS.cudaVersion] } : {}),
    ...(c.labels[LABELS.imageVersion] ? { version: c.labels[LABELS.imageVersion] } : {}),
  };
  if (flags.json) {
    printJson({
      ok: true,
      name: c.name,
      id: c.id,
      state: c.status,
      image,
      created: c.created.toISOString(),
      ports: access.ports,
      ...accessJson(access, outcome),
    });
    return 0;
  }
  printLine(`${c.name} (${shortId(c.id)}) is ${c.status}`);
  printLine(
    `  image   ${image.reference}${image.cudaVersion ? ` (CUDA ${image.cudaVersion})` : ""}`,
  );
  printLine(`          ${image.digest ?? image.id}`);
  const { ssh, editor, http } = outcome;
  if (ssh) {
    printLine(`  ssh     ${ssh.command}   (${answered(ssh.ready)})`);
    if (ssh.configHost) printLine(`          ssh ${ssh.configHost}`);
  }
  if (editor) {
    const mode = editor.developerMode
      ? `; developer mode ${editor.developerMode.replace(/-/g, " ")}`
      : "";
    printLine(`  editor  ${editor.url}   (${answered(editor.ready)}${mode})`);
  }
  if (access.http && http) {
    printLine(
      `  http    port ${access.http.port} → container port ${access.http.containerPort}   (${answered(http.ready)})`,
    );
  }
  return 0;
}
