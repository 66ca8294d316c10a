import type { NvidiaFacts } from "./facts.js";
import {
  classifyNvidiaSmiFailure,
  parseNvidiaSmi,
  parseNvidiaSmiList,
} from "./parse-nvidia-smi.js";
import { parseToolkitVersion } from "./parse-nvidia-toolkit.js";
import type { CommandRunner } from "./runner.js";

/** nvidia-container-toolkit: nvidia-ctk (1.10+), or nvidia-container-cli from older packages. */
async function probeToolkit(run: CommandRunner): Promise<{ present: boolean; version?: string }> {
  for (const [program, args] of [
    ["nvidia-ctk", ["--version"]],
    ["nvidia-container-cli", ["--version"]],
  ] as const) {
    const r = await run(program, [...args]);
    if (r.found && r.exitCode === 0) {
      const version = parseToolkitVersion(r.stdout)?.version;
      return { present: true, ...(version ? { version } : {}) };
    }
  }
  return { present: false };
}

/** NVIDIA facts: GPUs, driver, the highest CUDA it supports, and whether the toolkit is there. */
export async function probeNvidia(run: CommandRunner): Promise<NvidiaFacts> {
  const [smi, toolkit] = await Promise.all([run("nvidia-smi", []), probeToolkit(run)]);
  const toolkitFacts = {
    toolkitPresent: toolkit.present,
    ...(toolkit.version ? { toolkitVersion: toolkit.version } : {}),
  };
  if (!smi.found) return { smi: "absent", gpus: [], ...toolkitFacts };
  const table = smi.exitCode === 0 ? parseNvidiaSmi(smi.stdout) : undefined;
  if (!table) {
    const failure = classifyNvidiaSmiFailure(`${smi.stdout}\n${smi.stderr}`);
    return { smi: "error", smiError: failure.message, gpus: [], ...toolkitFacts };
  }
  // The table truncates names and has no UUIDs; `-L` has both.
  const list = await run("nvidia-smi", ["-L"]);
  const listed = list.found && list.exitCode === 0 ? parseNvidiaSmiList(list.stdout) : [];
  return {
    smi: "ok",
    driverVersion: table.driverVersion,
    ...(table.cudaVersion ? { cudaVersion: table.cudaVersion } : {}),
    gpus: table.gpus.map((g) => {
      const full = listed.find((l) => l.index === g.index);
      return {
        index: g.index,
        name: full?.name ?? g.name,
        ...(full?.uuid ? { uuid: full.uuid } : {}),
        ...(g.memoryMiB !== undefined ? { memoryMiB: g.memoryMiB } : {}),
      };
    }),
    ...toolkitFacts,
  };
}
