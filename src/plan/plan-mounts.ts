import { ModelboxDevError } from "../errors.js";
import type { PlannedMount } from "./types.js";
import { parseMount } from "./validate.js";

/** systemd needs these writable and in memory; a bind there would break the boot. */
const SYSTEMD_TMPFS = ["/run", "/run/lock"];

/**
 * The mounts and tmpfs: the cgroup tree, the seed's /opt/modelbox and /home (unless
 * `--no-default-mounts`), then each `--mount`, which replaces a default at the same place.
 */
export function planMounts(
  cgroup: PlannedMount[],
  options: { mounts?: readonly string[]; defaultMounts?: boolean },
): { mounts: PlannedMount[]; tmpfs: string[] } {
  const mounts: PlannedMount[] = [...cgroup];
  if (options.defaultMounts !== false) {
    mounts.push(
      { source: "/opt/modelbox", target: "/opt/modelbox", readOnly: false, purpose: "modelbox" },
      { source: "/home", target: "/home", readOnly: false, purpose: "home" },
    );
  }
  const tmpfs = ["/tmp", "/run", "/run/lock"];
  for (const text of options.mounts ?? []) {
    const mount = parseMount(text);
    if (SYSTEMD_TMPFS.includes(mount.target)) {
      throw new ModelboxDevError(
        "INVALID_MOUNT",
        `Cannot mount over ${mount.target}: systemd in the image needs it as an in-memory tmpfs.`,
        "Mount your directory somewhere else, e.g. --mount /data:/data.",
      );
    }
    // A host directory at /tmp replaces the in-memory /tmp.
    if (mount.target === "/tmp") tmpfs.splice(tmpfs.indexOf("/tmp"), 1);
    const clash = mounts.find((m) => m.target === mount.target);
    if (clash) {
      // A user mount replaces a default one at the same place (e.g. a different /home).
      if (clash.purpose === "user" || clash.purpose === "cgroup") {
        throw new ModelboxDevError(
          "INVALID_MOUNT",
          `Two mounts target ${mount.target}.`,
          clash.purpose === "cgroup"
            ? "/sys/fs/cgroup is mounted by modelbox-dev for systemd; choose another target."
            : "Give each --mount its own container path.",
        );
      }
      mounts.splice(mounts.indexOf(clash), 1);
    }
    mounts.push(mount);
  }
  return { mounts, tmpfs };
}
