import { dockerSize, parseSize } from "./resources.js";
import type { PlanWarning, PlannedShm } from "./types.js";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** Docker's own /dev/shm: too small for video decoding and PyTorch/TensorFlow data loaders. */
export const DOCKER_SHM_BYTES = 64 * MiB;
/** The most modelbox-dev gives /dev/shm unless asked. */
export const DEFAULT_SHM_CAP_BYTES = 8 * GiB;

/**
 * The default /dev/shm: half of the memory the environment may use (`--memory`, else the host's),
 * at most 8 GiB and never less than Docker's 64 MiB; 8 GiB when the host's memory is unknown.
 * /dev/shm is a tmpfs: the size is a ceiling, memory is used only by what is written there.
 */
export function defaultShmBytes(memoryLimitBytes?: number, hostMemoryBytes?: number): number {
  const memory = memoryLimitBytes ?? hostMemoryBytes;
  if (memory === undefined) return DEFAULT_SHM_CAP_BYTES;
  const half = Math.floor(memory / 2 / MiB) * MiB;
  return Math.max(DOCKER_SHM_BYTES, Math.min(DEFAULT_SHM_CAP_BYTES, half));
}

/** `--shm-size`, or the default; a size beyond the memory limit is allowed, with a warning. */
export function planShm(
  option: string | number | undefined,
  memoryLimitBytes: number | undefined,
  hostMemoryBytes: number | undefined,
): { shm: PlannedShm; warnings: PlanWarning[] } {
  if (option === undefined) {
    return {
      shm: { sizeBytes: defaultShmBytes(memoryLimitBytes, hostMemoryBytes), source: "default" },
      warnings: [],
    };
  }
  const sizeBytes = parseSize(option, "--shm-size");
  const warnings: PlanWarning[] =
    memoryLimitBytes !== undefined && sizeBytes > memoryLimitBytes
      ? [
          {
            code: "SHM_OVER_MEMORY",
            message: `--shm-size ${dockerSize(sizeBytes)} is more than --memory ${dockerSize(memoryLimitBytes)}: what is written to /dev/shm counts against the memory limit, so it can never fill up.`,
          },
        ]
      : [];
  return { shm: { sizeBytes, source: "option" }, warnings };
}
