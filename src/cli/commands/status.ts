import { status } from "../../environment/status.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";
import { settingsLines } from "../render-settings.js";

const answered = (ready: boolean | undefined) => (ready ? "answers" : "no answer");

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
  printLine(`${result.name} (${result.id.slice(0, 12)}) is ${result.state}`);
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
    printLine(`  editor  ${editor.url}   (${answered(editor.ready)}${mode})`);
  }
  if (http?.ready !== undefined) {
    printLine(
      `  http    port ${http.port} → container port ${http.containerPort ?? http.port}   (${answered(http.ready)})`,
    );
  }
  for (const line of settingsLines(result.settings)) printLine(line);
  return 0;
}
