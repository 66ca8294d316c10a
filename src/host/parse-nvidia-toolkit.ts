/**
 * Parsers for the NVIDIA Container Toolkit's tools. Pure: text in, plain data out.
 * The toolkit is what lets `--gpus all` (Docker >= 19.03) or `--runtime=nvidia` work; its version
 * and what `nvidia-container-cli info` sees are the facts behind R13 ("check the toolkit").
 */

export type ToolkitTool =
  "nvidia-ctk" | "nvidia-container-toolkit" | "nvidia-container-runtime" | "nvidia-container-cli";

export interface ToolkitVersion {
  tool: ToolkitTool;
  version: string;
  commit?: string;
}

// Each binary names itself differently in its --version banner:
//   nvidia-ctk                → "NVIDIA Container Toolkit CLI version 1.12.0"
//   nvidia-container-toolkit  → "NVIDIA Container Runtime Hook version 1.10.0" (the OCI hook)
//   nvidia-container-runtime  → "NVIDIA Container Runtime version 1.14.3"
//   nvidia-container-cli      → "cli-version: 1.14.3" (libnvidia-container)
const BANNERS: { tool: ToolkitTool; pattern: RegExp }[] = [
  { tool: "nvidia-ctk", pattern: /NVIDIA Container Toolkit CLI version\s+v?(\S+)/i },
  { tool: "nvidia-container-toolkit", pattern: /NVIDIA Container Runtime Hook version\s+v?(\S+)/i },
  { tool: "nvidia-container-runtime", pattern: /NVIDIA Container Runtime version\s+v?(\S+)/i },
  { tool: "nvidia-container-cli", pattern: /^cli-version:\s*v?(\S+)/im },
];

/** Version from the `--version` output of any toolkit binary; undefined when not recognised. */
export function parseToolkitVersion(text: string): ToolkitVersion | undefined {
  for (const { tool, pattern } of BANNERS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const commit = /^commit:\s*([0-9a-f]+)/im.exec(text)?.[1];
    return { tool, version: m[1] ?? "", ...(commit ? { commit } : {}) };
  }
  return undefined;
}

export interface ContainerCliDevice {
  /** NVML index: what `--gpus device=N` and NVIDIA_VISIBLE_DEVICES=N refer to. */
  index: number;
  /** /dev/nvidia<minor>; can differ from the index (recorded: index 0 is minor 1). */
  minor?: number;
  model: string;
  brand?: string;
  uuid?: string;
  busId?: string;
  /** CUDA compute capability, e.g. "7.0". */
  architecture?: string;
}

export interface ContainerCliInfo {
  /** "NVRM version": the kernel driver the toolkit will mount into containers. */
  driverVersion?: string;
  /** Highest CUDA version the driver supports, checked against images' NVIDIA_REQUIRE_CUDA. */
  cudaVersion?: string;
  devices: ContainerCliDevice[];
}

/** Parses `nvidia-container-cli info`: a header block, then one "Key: value" block per device. */
export function parseNvidiaContainerCliInfo(text: string): ContainerCliInfo {
  const out: ContainerCliInfo = { devices: [] };
  let device: Partial<ContainerCliDevice> | undefined;
  const flush = () => {
    if (device?.index !== undefined) {
      out.devices.push({ model: "", ...device } as ContainerCliDevice);
    }
    device = undefined;
  };

  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^:]+?):\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const key = (m[1] ?? "").toLowerCase();
    const value = m[2] ?? "";
    switch (key) {
      case "nvrm version":
        out.driverVersion = value;
        break;
      case "cuda version":
        out.cudaVersion = value;
        break;
      case "device index":
        flush();
        device = { index: Number(value) };
        break;
      case "device minor":
        if (device) device.minor = Number(value);
        break;
      case "model":
        if (device) device.model = value;
        break;
      case "brand":
        if (device) device.brand = value;
        break;
      case "gpu uuid":
        if (device) device.uuid = value;
        break;
      case "bus location":
        if (device) device.busId = value;
        break;
      case "architecture":
        if (device) device.architecture = value;
        break;
    }
  }
  flush();
  return out;
}
