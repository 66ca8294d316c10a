import type { ImageSummary } from "../../engine/types.js";

/**
 * Images known to carry the few tools a probe needs (sleep, chroot, ls, cat): ModelBox's own,
 * then common distribution bases. Anything else tagged comes after them.
 */
const PREFERRED = [
  /(^|\/)modelbox[-/]/,
  /(^|\/)(debian|ubuntu|busybox|alpine|centos|rockylinux|almalinux|fedora|openeuler)(:|$)/,
];

/**
 * The image a probe container runs in: `wanted` when the engine has it, else the most likely
 * one of the images there. No pull: the probe uses what the host already has.
 */
export function chooseProbeImage(images: ImageSummary[], wanted?: string): string | undefined {
  const tags = images.flatMap((i) => i.repoTags);
  if (wanted && tags.includes(wanted)) return wanted;
  for (const pattern of PREFERRED) {
    const hit = tags.find((t) => pattern.test(t));
    if (hit) return hit;
  }
  return tags[0];
}
