import { getEnvironment } from "../../environment/find.js";
import { LABELS } from "../../labels.js";
import { createEngine } from "../context.js";
import { accessInfo, shortId } from "../describe-environment.js";
import { printJson, printLine } from "../output.js";

export async function run(
  name: string,
  flags: { json?: boolean; hostAddress?: string },
): Promise<number> {
  const c = await getEnvironment(createEngine(), name);
  const access = accessInfo(c, flags.hostAddress);
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
      ...(access.ssh ? { ssh: access.ssh } : {}),
      ...(access.editor ? { editor: access.editor } : {}),
      ...(access.http ? { http: access.http } : {}),
    });
    return 0;
  }
  printLine(`${c.name} (${shortId(c.id)}) is ${c.status}`);
  printLine(
    `  image   ${image.reference}${image.cudaVersion ? ` (CUDA ${image.cudaVersion})` : ""}`,
  );
  printLine(`          ${image.digest ?? image.id}`);
  if (access.ssh) printLine(`  ssh     ${access.ssh.command}`);
  if (access.editor) printLine(`  editor  ${access.editor.url}`);
  if (access.http)
    printLine(`  http    port ${access.http.port} → container port ${access.http.containerPort}`);
  return 0;
}
