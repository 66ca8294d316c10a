/** ModelBox images are 5–20 GB: below the first a pull cannot fit, below the second it may not. */
export const GiB = 1024 ** 3;
export const DISK_REFUSE_BYTES = 6 * GiB;
export const DISK_WARN_BYTES = 20 * GiB;
