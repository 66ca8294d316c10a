import type { ContainerStatsSample } from "../types.js";
import type { DockerClient } from "./client.js";
import { jsonLines } from "./json-lines.js";

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

interface RawStats {
  read?: string;
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

/**
 * One sample as `docker stats` computes it: CPU time used since the previous report over the
 * host's CPU time in the same span, times the CPUs; memory in use less the inactive page cache
 * (cgroup v2 reports `inactive_file`, v1 `total_inactive_file`).
 */
export function toStatsSample(raw: RawStats): ContainerStatsSample {
  const cpu = raw.cpu_stats ?? {};
  const previous = raw.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (previous.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (previous.system_cpu_usage ?? 0);
  const cpus = cpu.online_cpus ?? cpu.cpu_usage?.percpu_usage?.length ?? 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = raw.memory_stats ?? {};
  const stats = memory.stats ?? {};
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? 0;
  const usage = memory.usage ?? 0;
  return {
    time: raw.read ? new Date(raw.read) : new Date(),
    cpuPercent,
    memoryBytes: Math.max(0, usage - (cache < usage ? cache : 0)),
    memoryLimitBytes: memory.limit ?? 0,
  };
}

/** GET /containers/{id}/stats?stream=true: a JSON document per line, about once a second. */
export async function* containerStats(
  client: DockerClient,
  id: string,
  signal: AbortSignal,
): AsyncIterable<ContainerStatsSample> {
  const container = client.docker.getContainer(id);
  // dockerode passes abortSignal through, though its typings leave it out for stats.
  const options = { stream: true, abortSignal: signal } as { stream: true };
  for await (const raw of jsonLines(() => client.call(() => container.stats(options)), signal)) {
    yield toStatsSample(raw as RawStats);
  }
}
