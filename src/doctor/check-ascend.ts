import type { HostFacts } from "../host/facts.js";
import { chipFamily } from "../host/parse-npu-smi.js";
import { type DoctorCheck, pass, warn } from "./types.js";

export function checkAscend(facts: HostFacts): DoctorCheck[] {
  const a = facts.ascend;
  const title = "Ascend NPU";
  if (!a || a.chips.length === 0) {
    if (a?.npuSmi === "ok") {
      return [
        warn(
          "ascend",
          title,
          "npu-smi answers but no /dev/davinci* device exists",
          "Load the Ascend driver (check 'ls /dev/davinci*'); until then --npu cannot be used.",
        ),
      ];
    }
    return [pass("ascend", title, "no Ascend chip (/dev/davinci*): no NPU flowunits")];
  }
  const chips = a.chips.map((c) => `/dev/davinci${c}`).join(", ");
  const runtime = facts.engine.runtimes.includes("ascend")
    ? "; Ascend Docker Runtime registered"
    : "";
  if (a.npuSmi !== "ok" || !a.chipName) {
    return [
      warn(
        "ascend",
        title,
        `${a.chips.length} chip(s) (${chips}), but npu-smi ${a.npuSmi === "error" ? "fails" : "is missing"}: cannot tell 310 from 310P${runtime}`,
        "Install the Ascend driver's npu-smi; on 310P chips use the -d310p images (--accel ascend chooses them once the chip is known).",
      ),
    ];
  }
  const family = chipFamily(a.chipName);
  const images =
    family === "310P"
      ? "use the -d310p images"
      : family === "310"
        ? "use the plain cann images"
        : "ModelBox publishes images for 310 and 310P only";
  const found = `${a.chips.length} chip(s) ${a.chipName} (${chips}), driver ${a.driverVersion ?? "?"}: ${images}${runtime}`;
  return [
    family === "310" || family === "310P"
      ? pass("ascend", title, found)
      : warn("ascend", title, found, "Run CPU flowunits, or build an image for this chip."),
  ];
}
