import { compareVersions } from "../catalog/version.js";
import { DISK_REFUSE_BYTES, DISK_WARN_BYTES, GiB } from "../host/disk-needs.js";
import type { HostFacts } from "../host/facts.js";
import { type DoctorCheck, fail, pass, warn } from "./types.js";

/** ", at ssh://dev@gpu1 (context "gpu1" (--context))": which engine, and what chose it. */
function reachedVia(e: HostFacts["engine"]): string {
  const c = e.connection;
  return c ? `, at ${c.url} (${c.via})` : "";
}

export function checkEngine(facts: HostFacts): DoctorCheck[] {
  const e = facts.engine;
  const checks: DoctorCheck[] = [];
  const what = `${e.kind === "podman" ? "Podman" : "Docker"} ${e.serverVersion} (API ${e.apiVersion}) on ${e.os ?? "Linux"}, ${e.arch}${reachedVia(e)}`;
  if (e.kind === "podman") {
    checks.push(
      pass(
        "engine",
        "Container engine",
        `${what}: Podman's Docker-compatible API (GPUs through CDI from Podman 5.5: 'nvidia-ctk cdi generate')`,
      ),
    );
  } else if (compareVersions(e.apiVersion, "1.39") < 0) {
    checks.push(
      warn(
        "engine",
        "Container engine",
        `${what}: older than Docker 18.09`,
        "Upgrade Docker (ModelBox's images are tested with 18.09 and newer).",
      ),
    );
  } else {
    checks.push(pass("engine", "Container engine", what));
  }
  if (e.rootless) {
    checks.push(
      warn(
        "rootless",
        "Rootless engine",
        "the engine runs rootless",
        "systemd images and device access (GPUs, /dev/davinci*) are limited rootless; use a rootful engine for accelerators.",
      ),
    );
  }

  if (e.cgroupVersion === 1) {
    checks.push(
      pass(
        "cgroup",
        "cgroup version",
        "cgroup v1: the images' systemd gets the seed's read-only cgroup mount",
      ),
    );
  } else if (compareVersions(e.apiVersion, "1.41") < 0) {
    checks.push(
      fail(
        "cgroup",
        "cgroup version",
        `cgroup v2, which ${e.kind} ${e.serverVersion} does not support (no --cgroupns)`,
        "Upgrade Docker to 20.10 or newer, or boot the host with cgroup v1 (systemd.unified_cgroup_hierarchy=0).",
      ),
    );
  } else {
    checks.push(
      warn(
        "cgroup",
        "cgroup version",
        "cgroup v2: containers get --cgroupns=host and a read-write cgroup mount",
        "Images whose systemd is older than 247 (e.g. Ubuntu 18.04 based) may not boot on cgroup v2; if one hangs, boot the host with systemd.unified_cgroup_hierarchy=0.",
      ),
    );
  }

  const free = e.dataRootFreeBytes;
  if (free === undefined) {
    checks.push(
      warn("disk", "Free disk", `cannot see ${e.dataRoot ?? "the engine's data root"} from here`),
    );
  } else {
    const gib = (free / GiB).toFixed(1);
    const where = e.dataRoot ?? "the data root";
    const fix =
      "Free space with 'docker system prune' (removes unused images and stopped containers).";
    if (free < DISK_REFUSE_BYTES)
      checks.push(
        fail("disk", "Free disk", `${gib} GiB free in ${where}; images need 5-20 GB`, fix),
      );
    else if (free < DISK_WARN_BYTES)
      checks.push(
        warn(
          "disk",
          "Free disk",
          `${gib} GiB free in ${where}; the largest images need 20 GB`,
          fix,
        ),
      );
    else checks.push(pass("disk", "Free disk", `${gib} GiB free in ${where}`));
  }
  return checks;
}
