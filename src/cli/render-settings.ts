import type { EnvironmentSettings, ImageFacts } from "../environment/types.js";
import { dockerSize } from "../plan/resources.js";

/** Published ports, the /root volume, variables by name and limits, for `up` and `status`. */
export function settingsLines(s: EnvironmentSettings): string[] {
  const lines: string[] = [];
  for (const p of s.published) {
    lines.push(`  publish ${p.hostIp || "*"}:${p.hostPort} → ${p.containerPort}/${p.protocol}`);
  }
  lines.push(
    s.homeVolume
      ? `  home    /root in volume ${s.homeVolume} (kept by upgrade, --recreate and rm)`
      : "  home    /root in the container (not kept when it is made again)",
  );
  if (s.env.length > 0) lines.push(`  env     ${s.env.join(", ")} (values not shown)`);
  const limits = [
    `shm ${dockerSize(s.shmSizeBytes)}`,
    ...(s.memoryBytes !== undefined ? [`memory ${dockerSize(s.memoryBytes)}`] : []),
    ...(s.cpus !== undefined ? [`cpus ${s.cpus}`] : []),
    ...s.ulimits.map((u) => `ulimit ${u}`),
  ];
  lines.push(`  limits  ${limits.join(", ")}`);
  return lines;
}

/** One image as `upgrade` reports it: reference, id, digest, CUDA, release. */
export function imageLine(label: string, image: ImageFacts): string[] {
  const extra = [
    ...(image.cudaVersion ? [`CUDA ${image.cudaVersion}`] : []),
    ...(image.version ? [`release ${image.version}`] : []),
  ];
  return [
    `  ${label.padEnd(6)}${image.reference}${extra.length ? `  (${extra.join(", ")})` : ""}`,
    `        id ${image.id}${image.digest ? `\n        digest ${image.digest}` : ""}`,
  ];
}
