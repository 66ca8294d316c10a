import { describe, expect, it } from "vitest";
import { DOCKER_SHM_BYTES, defaultShmBytes, planShm } from "../../../src/plan/shm-size.js";
import { expectError } from "./errors.js";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe("/dev/shm: Docker's 64 MB is too small for video decoding and data loaders", () => {
  it("defaults to half the memory (the limit, else the host's), at most 8 GiB", () => {
    expect(defaultShmBytes(undefined, 64 * GiB)).toBe(8 * GiB);
    expect(defaultShmBytes(undefined, 6 * GiB)).toBe(3 * GiB);
    expect(defaultShmBytes(4 * GiB, 64 * GiB)).toBe(2 * GiB);
    // Whole MiB, never below Docker's own size.
    expect(defaultShmBytes(undefined, 3 * GiB + 3)).toBe(1536 * MiB);
    expect(defaultShmBytes(64 * MiB, undefined)).toBe(DOCKER_SHM_BYTES);
    expect(defaultShmBytes(undefined, undefined)).toBe(8 * GiB);
  });

  it("--shm-size is taken as given; beyond --memory it warns", () => {
    expect(planShm("16g", undefined, 8 * GiB)).toEqual({
      shm: { sizeBytes: 16 * GiB, source: "option" },
      warnings: [],
    });
    expect(planShm(undefined, undefined, 8 * GiB).shm).toEqual({
      sizeBytes: 4 * GiB,
      source: "default",
    });
    expect(planShm("8g", 4 * GiB, undefined).warnings[0]?.code).toBe("SHM_OVER_MEMORY");
    expectError(() => planShm("lots", undefined, undefined), "INVALID_OPTION");
  });
});
