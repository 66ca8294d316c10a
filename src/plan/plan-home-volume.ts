import { LABELS } from "../labels.js";
import type { PlannedVolume } from "./types.js";

/** Root's home in the ModelBox images: the editor's graphs, shell history, ~/.local, ~/.ssh. */
export const HOME_TARGET = "/root";
export const HOME_VOLUME_PREFIX = "modelbox-dev-home-";

/** The volume that keeps an environment's /root (volume names follow container names' rules). */
export function homeVolumeName(environment: string): string {
  return `${HOME_VOLUME_PREFIX}${environment}`;
}

/** The labels that say whose a volume is: found by `rm --volumes` and `ls --volumes`. */
export function volumeLabels(environment: string): Record<string, string> {
  return {
    [LABELS.managed]: "true",
    [LABELS.name]: environment,
    [LABELS.volume]: "home",
  };
}

/**
 * `/root` in a named volume, so that re-creating the environment (`upgrade`, `--recreate`) keeps
 * it. Docker fills an empty volume from the image's /root on first mount, so a new environment
 * starts with the image's files, exactly as without the volume.
 */
export function planHomeVolume(environment: string, wanted: boolean | undefined): PlannedVolume[] {
  if (wanted === false) return [];
  return [
    {
      name: homeVolumeName(environment),
      target: HOME_TARGET,
      purpose: "home",
      labels: volumeLabels(environment),
    },
  ];
}
