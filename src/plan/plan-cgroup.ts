import { compareVersions } from "../catalog/version.js";
import type { HostFacts } from "../host/facts.js";
import type { PlannedMount, PlanWarning } from "./types.js";

/** Engine API 1.41 (Docker 20.10) added --cgroupns and cgroup v2 support. */
const CGROUPNS_API = "1.41";
/** Engine API 1.44 (Docker 25) made `:ro` binds recursively read-only. */
const RECURSIVE_RO_API = "1.44";

/** The cgroup tree systemd (PID 1 in the images) needs, for this engine and cgroup version. */
export function cgroupMounts(facts: HostFacts): {
  mounts: PlannedMount[];
  cgroupnsMode?: "host";
  warnings: PlanWarning[];
} {
  const api = facts.engine.apiVersion;
  if (facts.engine.cgroupVersion === 2) {
    // systemd in the image must create its own cgroups: on a v2 host a read-only bind fails
    // with "Failed to create /init.scope control group: Read-only file system".
    const warnings: PlanWarning[] =
      compareVersions(api, CGROUPNS_API) < 0
        ? [
            {
              code: "CGROUP_V2_OLD_ENGINE",
              message: `This host uses cgroup v2, which Docker ${facts.engine.serverVersion} (API ${api}) does not support (--cgroupns needs Docker 20.10+): upgrade Docker, or boot the host with cgroup v1.`,
            },
          ]
        : [];
    return {
      mounts: [
        { source: "/sys/fs/cgroup", target: "/sys/fs/cgroup", readOnly: false, purpose: "cgroup" },
      ],
      cgroupnsMode: "host",
      warnings,
    };
  }
  const nonRecursive = compareVersions(api, RECURSIVE_RO_API) >= 0;
  return {
    mounts: [
      {
        source: "/sys/fs/cgroup",
        target: "/sys/fs/cgroup",
        readOnly: true,
        ...(nonRecursive ? { readOnlyNonRecursive: true } : {}),
        purpose: "cgroup",
      },
    ],
    warnings: [],
  };
}
