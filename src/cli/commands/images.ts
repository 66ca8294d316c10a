import { images } from "../../environment/images.js";
import { runOperation } from "../client.js";
import { logLine, printJson, printLine } from "../output.js";
import { colorsFor } from "../style.js";
import { type Column, outputWidth, renderTable } from "../table.js";

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
  const c = colorsFor();
  const rows = result.images.map((e) => [
    e.chosen ? "*" : "",
    e.shortName,
    e.kind,
    `${e.engine} ${e.engineVersion}`,
    `${e.accel} ${e.accelVersion}${e.d310p ? " (310P)" : ""}`,
    e.os,
    e.arch,
    e.present === null ? "?" : e.present ? "yes" : "no",
    ...(flags.forHost ? [e.usable ? "yes" : "no", e.why ?? ""] : []),
  ]);
  const columns: Column[] = [
    { header: "", style: (cell) => c.bold(c.green(cell)) },
    {
      header: "SHORT NAME",
      style: (cell, row) => (result.images[row]?.chosen ? c.bold(cell) : cell),
    },
    { header: "KIND", dropOrder: 3 },
    { header: "ENGINE", dropOrder: 2 },
    { header: "ACCEL", dropOrder: 1 },
    { header: "OS", dropOrder: 5 },
    { header: "ARCH", dropOrder: 4 },
    { header: "PRESENT", style: (cell) => (cell === "yes" ? c.green(cell) : cell) },
    ...(flags.forHost
      ? [
          {
            header: "USABLE",
            style: (cell: string) => (cell === "yes" ? c.green(cell) : c.red(cell)),
          },
          { header: "WHY", shrink: true },
        ]
      : []),
  ];
  printLine(renderTable(columns, rows, outputWidth()));
  const chosen = result.images.find((e) => e.chosen);
  printLine(
    chosen
      ? `\n* marks the image 'modelbox-dev up' chooses on this host (${chosen.shortName}).`
      : "",
  );
  printLine("Short names work with 'up --image' and 'pull'; --json has the full references.");
  if (!result.engineReachable) {
    logLine("note: no container engine reachable, so PRESENT is unknown.");
  }
  return 0;
}
