import { EDITOR_SERVICE_NAME } from "../editor-service-unit.js";
import { PREPARE_PATHS } from "./pod-volumes.js";

/** The file on the home volume that says it was seeded from the image. */
export const SEEDED_MARKER = ".modelbox-dev-home";

/**
 * The init container's shell script, run with the environment's own image before systemd boots.
 * Plain POSIX sh and coreutils: every ModelBox image (Ubuntu or openEuler) has them.
 */
export function prepareScript(access: { keys: boolean; editorUnit: boolean }): string {
  const { home, run, keys, units } = PREPARE_PATHS;
  const lines = [
    "set -eu",
    `home=${home}`,
    "# First start: fill the empty home volume with the image's /root (.bashrc, .profile, ...),",
    "# as Docker does for an empty named volume; later starts keep what is there.",
    `if [ ! -e "$home/${SEEDED_MARKER}" ]; then`,
    '  cp -a /root/. "$home/"',
    `  touch "$home/${SEEDED_MARKER}"`,
    "fi",
    "# sshd (StrictModes) refuses keys under a home that others can write.",
    'chown root:root "$home"',
    'chmod 700 "$home"',
  ];
  if (access.keys) {
    lines.push(
      "# root's authorized_keys: directory 700, file 600, owned by root; each key from the",
      "# Secret once, and keys added by hand stay.",
      'mkdir -p "$home/.ssh"',
      'chown root:root "$home/.ssh"',
      'chmod 700 "$home/.ssh"',
      'f="$home/.ssh/authorized_keys"',
      'touch "$f"',
      'chown root:root "$f"',
      'chmod 600 "$f"',
      'if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi',
      "while IFS= read -r key; do",
      `  [ -z "$key" ] || grep -qxF -- "$key" "$f" || printf '%s\\n' "$key" >> "$f"`,
      `done < ${keys}/authorized_keys`,
    );
  }
  if (access.editorUnit) {
    lines.push(
      "# Developer mode at boot: systemd reads units from /run/systemd/system, and this /run is",
      "# the volume the environment's container mounts at /run.",
      `mkdir -p ${run}/systemd/system/multi-user.target.wants`,
      `cp ${units}/${EDITOR_SERVICE_NAME} ${run}/systemd/system/`,
      `ln -sf ../${EDITOR_SERVICE_NAME} ${run}/systemd/system/multi-user.target.wants/${EDITOR_SERVICE_NAME}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
