/**
 * Parsers for `nvidia-smi` output. Pure: text in, plain data out.
 *
 * The default table changed layout several times (pre-450, 450-525 with a "MIG M." row, 530+ wide,
 * 580+ with a "+---" rule under the header) but two things held in every recorded version: the
 * header line "NVIDIA-SMI <v>  Driver Version: <v>  CUDA Version: <v|N/A>", and a GPU's first row
 * "| <index>  <name>  <persistence> | <bus id> ..." followed by a row with "<used>MiB / <total>MiB".
 * So we read those by pattern, not by column offsets, and stop at the first blank line: what
 * follows (the "MIG devices:" and "Processes:" tables) is not about physical GPUs.
 */

export interface NvidiaSmiGpu {
  index: number;
  /** As printed; the table truncates long names with "..." (see nameTruncated). */
  name: string;
  /** True when the table cut the name ("Tesla V100-SXM2..."); `nvidia-smi -L` has the full one. */
  nameTruncated: boolean;
  busId?: string;
  /** Total memory; absent when the table says N/A (e.g. some integrated/unified-memory parts). */
  memoryMiB?: number;
}

export interface NvidiaSmiTable {
  /** The NVIDIA-SMI tool's own version; differs from driverVersion under WSL2. */
  smiVersion: string;
  /** The (host) driver version: the one that decides which CUDA images can run. */
  driverVersion: string;
  /** Highest CUDA version the driver supports; absent when printed as "N/A" (e.g. in a pod). */
  cudaVersion?: string;
  gpus: NvidiaSmiGpu[];
}

const HEADER = /NVIDIA-SMI\s+(\S+)\s+Driver Version:\s+(\S+)\s+CUDA Version:\s+(\S+)/;
// "|   0  NVIDIA H100 80GB HBM3          On  |   00000000:04:00.0 Off |" — the persistence column
// shows WDDM/TCC instead of On/Off on Windows drivers.
const GPU_ROW =
  /^\|\s*(\d+)\s+(.*?)\s+(On|Off|WDDM|TCC|N\/A)\s*\|\s*([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-9A-Fa-f])/;
const MEMORY = /(\d+)MiB\s*\/\s*(\d+)MiB/;

/** Parses the default `nvidia-smi` table; undefined when the text holds no nvidia-smi header. */
export function parseNvidiaSmi(text: string): NvidiaSmiTable | undefined {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => HEADER.test(l));
  if (headerAt < 0) return undefined;
  const header = HEADER.exec(lines[headerAt] ?? "");
  if (!header) return undefined;
  const [, smiVersion = "", driverVersion = "", cuda = ""] = header;

  const gpus: NvidiaSmiGpu[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    // The GPU table ends at the first blank line; MIG and process tables come after it.
    if (line.trim() === "") break;
    const row = GPU_ROW.exec(line);
    if (!row) continue;
    const name = (row[2] ?? "").trim();
    const gpu: NvidiaSmiGpu = {
      index: Number(row[1]),
      name,
      nameTruncated: name.endsWith("..."),
      busId: row[4] ?? "",
    };
    const memory = MEMORY.exec(lines[i + 1] ?? "");
    if (memory) gpu.memoryMiB = Number(memory[2]);
    gpus.push(gpu);
  }

  return {
    smiVersion,
    driverVersion,
    ...(cuda && cuda !== "N/A" ? { cudaVersion: cuda } : {}),
    gpus,
  };
}

export interface NvidiaSmiListGpu {
  index: number;
  /** Full product name (never truncated here, unlike the table). */
  name: string;
  uuid?: string;
  /** MIG devices listed under this GPU (0 when MIG is off). */
  migDevices: number;
}

const LIST_GPU = /^GPU\s+(\d+):\s+(.*?)(?:\s+\(UUID:\s*([^)]+)\))?\s*$/;
const LIST_MIG = /^\s+MIG\s+\S+\s+Device\s+\d+:/;

/** Parses `nvidia-smi -L`: one entry per physical GPU; MIG child lines are only counted. */
export function parseNvidiaSmiList(text: string): NvidiaSmiListGpu[] {
  const gpus: NvidiaSmiListGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    const gpu = LIST_GPU.exec(line);
    if (gpu) {
      gpus.push({
        index: Number(gpu[1]),
        name: gpu[2] ?? "",
        ...(gpu[3] ? { uuid: gpu[3].trim() } : {}),
        migDevices: 0,
      });
      continue;
    }
    const last = gpus[gpus.length - 1];
    if (last && LIST_MIG.test(line)) last.migDevices++;
  }
  return gpus;
}

export interface NvidiaSmiVersion {
  smiVersion?: string;
  nvmlVersion?: string;
  driverVersion?: string;
  cudaVersion?: string;
}

/** Parses `nvidia-smi --version` (drivers 525+ have it): "KEY version : value" lines. */
export function parseNvidiaSmiVersion(text: string): NvidiaSmiVersion {
  const out: NvidiaSmiVersion = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(NVIDIA-SMI version|NVML version|DRIVER version|CUDA Version)\s*:\s*(\S+)/i.exec(
      line,
    );
    if (!m) continue;
    const key = (m[1] ?? "").toLowerCase();
    const value = m[2] ?? "";
    if (key.startsWith("nvidia-smi")) out.smiVersion = value;
    else if (key.startsWith("nvml")) out.nvmlVersion = value;
    else if (key.startsWith("driver")) out.driverVersion = value;
    else out.cudaVersion = value;
  }
  return out;
}

export interface NvidiaSmiCsv {
  /** Field names as requested, with the unit suffix cut: "memory.total [MiB]" → "memory.total". */
  fields: string[];
  /** One record per line; "[N/A]", "N/A" and "[Not Supported]" become undefined. */
  rows: Record<string, string | undefined>[];
}

/**
 * Parses `nvidia-smi --query-*=... --format=csv` (with header). Values are split on ", " — the
 * separator nvidia-smi writes — so names with plain commas are not expected; GPU names have none.
 */
export function parseNvidiaSmiCsv(text: string): NvidiaSmiCsv {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const fields = (lines[0] ?? "").split(",").map((f) => f.trim().replace(/\s*\[[^\]]*\]$/, ""));
  const rows = lines.slice(1).map((line) => {
    const values = line.split(", ");
    const row: Record<string, string | undefined> = {};
    fields.forEach((field, i) => {
      const v = values[i]?.trim();
      row[field] = v === undefined || /^\[?(N\/A|Not Supported)\]?$/.test(v) ? undefined : v;
    });
    return row;
  });
  return { fields, rows };
}

/** GPUs from a `--query-gpu=index,name,uuid,memory.total,...` CSV (fields may come in any order). */
export function gpusFromNvidiaSmiCsv(
  csv: NvidiaSmiCsv,
): { index: number; name: string; uuid?: string; memoryMiB?: number }[] {
  return csv.rows.map((row, i) => {
    const memory = /^(\d+)/.exec(row["memory.total"] ?? "");
    return {
      index: row.index !== undefined ? Number(row.index) : i,
      name: row.name ?? "",
      ...(row.uuid ? { uuid: row.uuid } : {}),
      ...(memory ? { memoryMiB: Number(memory[1]) } : {}),
    };
  });
}

export type NvidiaSmiFailureKind =
  "driver-not-loaded" | "driver-library-mismatch" | "gpu-lost" | "no-devices" | "unknown";

export interface NvidiaSmiFailure {
  kind: NvidiaSmiFailureKind;
  message: string;
  hint: string;
}

/**
 * Explains why `nvidia-smi` failed, from its output. Every kind here means "a GPU driver is
 * installed but GPUs are unusable right now", which the planner must tell apart from "no GPU".
 */
export function classifyNvidiaSmiFailure(text: string): NvidiaSmiFailure {
  const firstLine =
    text
      .split(/\r?\n/)
      .find((l) => l.trim() !== "")
      ?.trim() ?? "";

  const mismatch = /Driver\/library version mismatch/i.test(text);
  if (mismatch) {
    const lib = /NVML library version:\s*(\S+)/i.exec(text)?.[1];
    return {
      kind: "driver-library-mismatch",
      message:
        "nvidia-smi: the loaded NVIDIA kernel module and the user-space driver libraries have different versions" +
        (lib ? ` (libraries: ${lib})` : "") +
        ".",
      hint: "The driver was upgraded but the old kernel module is still loaded. Reboot the host, or unload and reload the module (sudo rmmod nvidia_uvm nvidia_drm nvidia_modeset nvidia && sudo modprobe nvidia) when no process uses the GPU.",
    };
  }
  if (/couldn't communicate with the NVIDIA driver|NVIDIA driver is not loaded/i.test(text)) {
    return {
      kind: "driver-not-loaded",
      message: "nvidia-smi cannot talk to the NVIDIA driver: the kernel module is not loaded.",
      hint: "Load it with `sudo modprobe nvidia` (or reboot after installing/upgrading the driver). If that fails, check that the module was built for the running kernel (DKMS) and that Secure Boot is not rejecting it (dmesg | grep -i nvidia).",
    };
  }
  const lost = /Unable to determine the device handle for GPU\s*([0-9A-Fa-f:.]+)?/i.exec(text);
  if (lost || /GPU is lost|fallen off the bus/i.test(text)) {
    const busId = lost?.[1]?.replace(/[:.]$/, "");
    return {
      kind: "gpu-lost",
      message:
        `nvidia-smi cannot reach ${busId ? `the GPU at ${busId}` : "a GPU"}` +
        " (it has likely fallen off the bus or hung).",
      hint: "Check `dmesg` for NVIDIA Xid errors (Xid 79 means the GPU fell off the bus: power, cooling or PCIe problems). Reboot the host to recover the GPU; if it keeps happening, have the hardware checked.",
    };
  }
  if (/No devices were found/i.test(text)) {
    return {
      kind: "no-devices",
      message: "The NVIDIA driver is loaded but found no GPU.",
      hint: "Check that the GPU is seen on the PCI bus (lspci | grep -i nvidia) and is supported by the installed driver; in a VM, that it is passed through.",
    };
  }
  return {
    kind: "unknown",
    message: `nvidia-smi failed: ${firstLine || "no output"}`,
    hint: "Run `nvidia-smi` on the host to see the full error; without a working driver only CPU flowunits can be used.",
  };
}
