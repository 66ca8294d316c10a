import { readdir } from "node:fs/promises";
import type { AscendFacts } from "./facts.js";
import { parseNpuSmiInfo } from "./parse-npu-smi.js";
import type { CommandRunner } from "./runner.js";

export type ListDevices = () => Promise<string[]>;

export const listDevDirectory: ListDevices = () => readdir("/dev").catch(() => []);

/**
 * Ascend chips are the /dev/davinci<N> nodes (N is what --device and ASCEND_VISIBLE_DEVICES
 * take); npu-smi only adds the chip model and driver version, and its card ids are not N.
 */
export async function probeAscend(
  run: CommandRunner,
  listDevices: ListDevices = listDevDirectory,
): Promise<AscendFacts> {
  const entries = await listDevices();
  const chips = entries
    .map((e) => /^davinci(\d+)$/.exec(e)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const smi = await run("npu-smi", ["info"]);
  if (!smi.found) return { chips, npuSmi: "absent" };
  if (smi.exitCode !== 0) return { chips, npuSmi: "error" };
  const info = parseNpuSmiInfo(smi.stdout);
  const name = info.chips[0]?.name;
  return {
    chips,
    npuSmi: "ok",
    ...(name ? { chipName: name } : {}),
    ...(info.driverVersion ? { driverVersion: info.driverVersion } : {}),
  };
}
