import { images } from "../../environment/images.js";
import { runOperation } from "../client.js";
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
  registry?: string[];
  refresh?: boolean;
  json?: boolean;
}

export async function run(flags: ImagesFlags): Promise<number> {
  if (flags.tags !== undefined) return (await import("./image-tags.js")).run(flags.tags, flags);
  const { json, engine, accel, os, arch, kind, all, forHost, facts } = flags;
  const options = { engine, accel, os, arch, kind, all, forHost, facts };
  const result = await runOperation(json, (context) => images(options, context));
  if (json) {
    printJson({ ...result });
    return 0;
  }
  if (result.images.length === 0) {
    printLine("No published image matches these filters.");
    return 0;
  }
  const rows = result.images.map((e) => [
    e.reference,
    e.kind,
    `${e.engine} ${e.engineVersion}`,
    `${e.accel} ${e.accelVersion}${e.d310p ? " (310P)" : ""}`,
    e.os,
    e.arch,
    e.present === null ? "?" : e.present ? "yes" : "no",
    ...(flags.forHost ? [e.usable ? "yes" : "no", e.why ?? ""] : []),
  ]);
  const header = ["IMAGE", "KIND", "ENGINE", "ACCEL", "OS", "ARCH", "PRESENT"];
  printLine(formatTable(flags.forHost ? [...header, "USABLE", "WHY"] : header, rows));
  if (!result.engineReachable) {
    logLine("note: no container engine reachable, so PRESENT is unknown.");
  }
  return 0;
}
