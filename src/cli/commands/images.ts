import { images } from "../../environment/images.js";
import { formatTable, logLine, printJson, printLine } from "../output.js";

interface ImagesFlags {
  engine?: string;
  accel?: string;
  os?: string;
  arch?: string;
  kind?: string;
  all?: boolean;
  forHost?: boolean;
  facts?: string;
  tags?: string;
  json?: boolean;
}

export async function run(flags: ImagesFlags): Promise<number> {
  if (flags.tags !== undefined) return (await import("./image-tags.js")).run(flags.tags, flags);
  const result = await images({
    ...(flags.engine !== undefined ? { engine: flags.engine } : {}),
    ...(flags.accel !== undefined ? { accel: flags.accel } : {}),
    ...(flags.os !== undefined ? { os: flags.os } : {}),
    ...(flags.arch !== undefined ? { arch: flags.arch } : {}),
    ...(flags.kind !== undefined ? { kind: flags.kind } : {}),
    ...(flags.all ? { all: true } : {}),
    ...(flags.forHost ? { forHost: true } : {}),
    ...(flags.facts !== undefined ? { facts: flags.facts } : {}),
  });
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  if (result.images.length === 0) {
    printLine("No published image matches these filters.");
    return 0;
  }
  const forHost = flags.forHost ?? false;
  const rows = result.images.map((i) => [
    i.reference,
    i.kind,
    `${i.engine} ${i.engineVersion}`,
    `${i.accel} ${i.accelVersion}${i.d310p ? " (310P)" : ""}`,
    i.os,
    i.arch,
    i.present === null ? "?" : i.present ? "yes" : "no",
    ...(forHost ? [i.usable ? "yes" : "no", i.why ?? ""] : []),
  ]);
  const header = ["IMAGE", "KIND", "ENGINE", "ACCEL", "OS", "ARCH", "PRESENT"];
  printLine(formatTable(forHost ? [...header, "USABLE", "WHY"] : header, rows));
  if (!result.engineReachable) {
    logLine("note: no container engine reachable, so PRESENT is unknown.");
  }
  return 0;
}
