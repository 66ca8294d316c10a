import { formatPublish } from "../plan/plan-publish.js";
import { dockerSize } from "../plan/resources.js";
import type { Plan } from "../plan/types.js";
import { formatUlimit } from "../plan/ulimits.js";

/** Published ports, volumes, variables (names only), limits. */
function extraLines(plan: Plan): string[] {
  const lines: string[] = [];
  for (const p of plan.publish) lines.push(`  publish   ${formatPublish(p)}`);
  for (const v of plan.volumes) lines.push(`  volume    ${v.name} → ${v.target}`);
  if (plan.userEnv) {
    const files = plan.userEnv.files.length ? ` (from ${plan.userEnv.files.join(", ")})` : "";
    lines.push(
      `  env       ${plan.userEnv.names.join(", ") || "(none)"}${files}; values not shown`,
    );
  }
  const { cpus, memoryBytes } = plan.resources ?? {};
  if (cpus !== undefined) lines.push(`  cpus      ${cpus}`);
  if (memoryBytes !== undefined) lines.push(`  memory    ${dockerSize(memoryBytes)}`);
  const shmDefault = plan.shm.source === "default" ? " (default)" : "";
  lines.push(`  shm       ${dockerSize(plan.shm.sizeBytes)}${shmDefault}`);
  if (plan.ulimits.length) lines.push(`  ulimit    ${plan.ulimits.map(formatUlimit).join(" ")}`);
  return lines;
}

/** The plan for humans: what will be created, and why, in a few lines. */
const GPU_HOW = {
  "device-request": "--gpus",
  "nvidia-runtime": "--runtime=nvidia",
  cdi: "CDI: --device nvidia.com/gpu=…",
} as const;

export function formatPlan(plan: Plan): string {
  const lines = [`Environment ${plan.name}`, `  image     ${plan.image} (${plan.imageKind})`];
  if (plan.imageReason) lines.push(`            ${plan.imageReason}`);
  for (const p of plan.ports) {
    lines.push(
      `  port      ${p.purpose.padEnd(6)} ${p.hostIp || "*"}:${p.hostPort} → ${p.containerPort}${p.note ? `  (${p.note})` : ""}`,
    );
  }
  for (const m of plan.mounts)
    lines.push(`  mount     ${m.source} → ${m.target}${m.readOnly ? " (read-only)" : ""}`);
  lines.push(`  tmpfs     ${plan.tmpfs.join(", ")}`);
  if (plan.cgroupnsMode) lines.push(`  cgroupns  ${plan.cgroupnsMode}`);
  const gpu =
    plan.gpu.mode === "none"
      ? "none"
      : `${plan.gpu.devices === "all" ? "all" : plan.gpu.devices.join(",")} (${GPU_HOW[plan.gpu.mode]})`;
  lines.push(`  gpus      ${gpu}`);
  if (plan.npu.mode !== "none") {
    lines.push(
      `  npu       ${plan.npu.chips.join(",")} (${plan.npu.mode === "devices" ? "--device" : "--runtime=ascend"})`,
    );
  }
  if (plan.debug !== "none") lines.push(`  debug     ${plan.debug}`);
  lines.push(...extraLines(plan));
  const restart = plan.restartPolicy;
  lines.push(
    `  restart   ${restart.name}${restart.maximumRetryCount ? `:${restart.maximumRetryCount}` : ""}`,
  );
  lines.push(
    `  ready     ${plan.readiness.map((r) => (r.kind === "running" ? "running" : `ssh on ${r.port}`)).join(", then ")}`,
  );
  for (const step of plan.steps) {
    lines.push(`  step      ${step.title}${step.when ? ` (if ${step.when})` : ""}`);
  }
  for (const n of plan.notes) lines.push(`note: ${n}`);
  for (const w of plan.warnings) lines.push(`warning: ${w.message}`);
  return lines.join("\n");
}
