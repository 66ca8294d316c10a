import { cudaRequirementFor } from "../catalog/published-images.js";
import { compareVersions } from "../catalog/version.js";
import type { HostFacts } from "../host/facts.js";
import { type DoctorCheck, fail, pass, warn } from "./types.js";

/** Which CUDA generations of the published images this driver can run. */
function usableCuda(driver: string): string {
  const parts: string[] = [];
  for (const cuda of ["10.2", "11.2"]) {
    const req = cudaRequirementFor(cuda);
    if (!req) continue;
    if (compareVersions(driver, req.minDriver) >= 0) parts.push(`CUDA ${cuda} images: yes`);
    else if (req.minDriverMinorCompat && compareVersions(driver, req.minDriverMinorCompat) >= 0)
      parts.push(`CUDA ${cuda} images: yes (minor-version compatibility)`);
    else parts.push(`CUDA ${cuda} images: no (needs driver >= ${req.minDriver})`);
  }
  return parts.join("; ");
}

export function checkNvidia(facts: HostFacts): DoctorCheck[] {
  const n = facts.nvidia;
  const e = facts.engine;
  const title = "NVIDIA GPU";
  if (!n || n.smi === "absent") {
    const checks = [
      pass(
        "nvidia",
        title,
        "no NVIDIA driver (nvidia-smi not found): CUDA images run on the CPU, only CPU flowunits",
      ),
    ];
    if (n?.toolkitPresent) {
      checks.push(
        warn(
          "nvidia-toolkit",
          "NVIDIA Container Toolkit",
          `installed${n.toolkitVersion ? ` (${n.toolkitVersion})` : ""}, but no GPU driver answers`,
          "Install the NVIDIA driver, or ignore this on a host without GPUs.",
        ),
      );
    }
    return checks;
  }
  if (n.smi === "error") {
    return [
      fail(
        "nvidia",
        title,
        `nvidia-smi fails: ${n.smiError ?? "unknown error"}`,
        "The driver is installed but not working: reboot (or reload the nvidia kernel module) after a driver upgrade; until then environments start without GPUs.",
      ),
    ];
  }
  if (n.gpus.length === 0) {
    return [
      warn(
        "nvidia",
        title,
        `driver ${n.driverVersion ?? "?"} but no GPU listed`,
        "Check 'nvidia-smi -L'; environments start without GPUs.",
      ),
    ];
  }
  const gpus = n.gpus.map((g) => `${g.index}: ${g.name}`).join(", ");
  const checks: DoctorCheck[] = [
    pass(
      "nvidia",
      title,
      `${n.gpus.length} GPU(s) (${gpus}), driver ${n.driverVersion ?? "?"}, CUDA up to ${n.cudaVersion ?? "unknown"}; ${n.driverVersion ? usableCuda(n.driverVersion) : ""}`,
    ),
  ];
  const hasRuntime = e.runtimes.includes("nvidia");
  const gpusFlag = compareVersions(e.apiVersion, "1.40") >= 0;
  if (!gpusFlag && !hasRuntime) {
    checks.push(
      fail(
        "nvidia-toolkit",
        "GPUs in containers",
        `Docker ${e.serverVersion} predates --gpus and has no 'nvidia' runtime`,
        "Install nvidia-docker2 and restart Docker ('sudo systemctl restart docker'), or upgrade Docker to 19.03+ with nvidia-container-toolkit.",
      ),
    );
  } else if (gpusFlag && !n.toolkitPresent && !hasRuntime) {
    checks.push(
      fail(
        "nvidia-toolkit",
        "GPUs in containers",
        "nvidia-container-toolkit is not installed: Docker cannot hand GPUs to containers",
        "Install nvidia-container-toolkit, run 'sudo nvidia-ctk runtime configure --runtime=docker', then 'sudo systemctl restart docker'.",
      ),
    );
  } else {
    checks.push(
      pass(
        "nvidia-toolkit",
        "GPUs in containers",
        gpusFlag
          ? `--gpus (toolkit ${n.toolkitVersion ?? (hasRuntime ? "via the nvidia runtime" : "present")})`
          : "--runtime=nvidia (nvidia-docker2)",
      ),
    );
  }
  return checks;
}
