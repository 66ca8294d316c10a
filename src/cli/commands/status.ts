import { status } from "../../environment/status.js";
import { runOperation } from "../client.js";
import type { AcceleratorReport } from "../../environment/types.js";
import { printJson, printLine } from "../output.js";
import { colorsFor, stateColor } from "../style.js";
import { forwardNote } from "../render-up.js";
import { settingsLines } from "../render-settings.js";

const answered = (ready: boolean | undefined) => (ready ? "answers" : "no answer");

/** One line per GPU (index and UUID), one for the Ascend chips. */
function acceleratorLines(a: AcceleratorReport): string[] {
  const lines = a.gpus.map((g, i) => {
    const label = [g.index !== undefined ? `GPU ${g.index}` : "", g.uuid ?? ""]
      .filter((t) => t)
      .join("  ");
    return `  ${i === 0 ? "gpus" : "    "}    ${label || g.id}`;
  });
  if (a.allGpus && a.gpus.length === 0)
    lines.push("  gpus    all (nvidia-smi could not list them)");
  if (a.npuChips.length) {
    lines.push(`  npus    ${a.npuChips.map((n) => `/dev/davinci${n}`).join(", ")}`);
  }
  return lines;
}

export async function run(
  name: string,
  flags: { json?: boolean; hostAddress?: string },
): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    status({ name, ...(flags.hostAddress ? { hostAddress: flags.hostAddress } : {}) }, context),
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  const { image, ssh, editor, http } = result;
  const c = colorsFor();
  const owner = result.owner ? `, made by ${result.owner}` : "";
  printLine(
    `${result.name} (${result.id.slice(0, 12)}) is ${stateColor(c, result.state)(result.state)}${owner}`,
  );
  printLine(
    `  image   ${image.reference}${image.cudaVersion ? ` (CUDA ${image.cudaVersion})` : ""}`,
  );
  printLine(`          ${image.digest ?? image.id}`);
  if (ssh) {
    printLine(`  ssh     ${ssh.command}   (${answered(ssh.ready)})`);
    if (ssh.configHost) printLine(`          ssh ${ssh.configHost}`);
  }
  if (editor) {
    const mode = editor.developerMode
      ? `; developer mode ${editor.developerMode.replace(/-/g, " ")}`
      : "";
    printLine(`  editor  ${editor.url}   (${answered(editor.ready)}${mode})${forwardNote(editor)}`);
  }
  if (http?.ready !== undefined) {
    printLine(
      `  http    port ${http.port} → container port ${http.containerPort ?? http.port}   (${answered(http.ready)})`,
    );
  }
  for (const line of acceleratorLines(result.accelerators)) printLine(line);
  for (const line of settingsLines(result.settings)) printLine(line);
  return 0;
}
