import { describe, expect, it } from "vitest";
import type { ImageDetails } from "../../../src/engine/types.js";
import {
  cudaRequirementHolds,
  preflightDisk,
  preflightImage,
} from "../../../src/environment/preflight.js";
import { ModelboxDevError } from "../../../src/errors.js";
import { planEnvironment } from "../../../src/plan/plan-environment.js";
import { dockerFacts } from "../../support/facts.js";

// NVIDIA_REQUIRE_CUDA as the CUDA 11.2 images carry it (spaces OR, commas AND).
const REQUIRE_112 =
  "cuda>=11.2 brand=tesla,driver>=418,driver<419 brand=tesla,driver>=440,driver<441 brand=tesla,driver>=450,driver<451";
const IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";

function image(overrides: Partial<ImageDetails> = {}): ImageDetails {
  return {
    id: "sha256:abc",
    repoTags: [IMAGE],
    repoDigests: [],
    labels: {},
    env: { NVIDIA_REQUIRE_CUDA: REQUIRE_112 },
    architecture: "amd64",
    os: "linux",
    ...overrides,
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ModelboxDevError ? err.code : "not a ModelboxDevError";
  }
}

describe("NVIDIA_REQUIRE_CUDA against the driver (R13)", () => {
  const gpu = (driverVersion: string, cudaVersion: string, name = "GeForce RTX 3090") =>
    dockerFacts({ nvidia: { gpus: [{ name }], driverVersion, cudaVersion } });

  it("a driver whose CUDA is new enough satisfies the first alternative", () => {
    expect(cudaRequirementHolds(REQUIRE_112, gpu("535.104.05", "12.2"))).toBe(true);
  });

  it("an older CUDA fails, unless a Tesla with a listed driver branch matches another alternative", () => {
    expect(cudaRequirementHolds(REQUIRE_112, gpu("450.80.02", "11.0"))).toBe(false);
    expect(cudaRequirementHolds(REQUIRE_112, gpu("450.80.02", "11.0", "Tesla T4"))).toBe(true);
  });

  it("unknown CUDA version (N/A in a pod) cannot be decided", () => {
    const facts = dockerFacts({ nvidia: { gpus: 1, driverVersion: "418.181.07" } });
    const noCuda = { ...facts, nvidia: { ...facts.nvidia!, cudaVersion: undefined } };
    delete noCuda.nvidia.cudaVersion;
    expect(cudaRequirementHolds("cuda>=11.2", noCuda)).toBeUndefined();
  });

  it("up refuses before create when GPUs are given and the driver is too old, naming the driver to get", () => {
    const facts = gpu("450.80.02", "11.0");
    const plan = planEnvironment({ image: IMAGE, gpus: "all" }, facts);
    try {
      preflightImage(plan, image(), facts);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ModelboxDevError);
      const e = err as ModelboxDevError;
      expect(e.code).toBe("CUDA_REQUIREMENT");
      expect(e.message).toContain("CUDA 11.2");
      expect(e.hint).toContain("460.27.03");
    }
  });

  it("no GPU given: the requirement does not apply (the image runs on the CPU)", () => {
    const facts = gpu("450.80.02", "11.0");
    const plan = planEnvironment({ image: IMAGE, gpus: "none" }, facts);
    expect(preflightImage(plan, image(), facts)).toEqual([]);
  });

  it("NVIDIA_DISABLE_REQUIRE switches the check off, as it does for the toolkit", () => {
    const facts = gpu("450.80.02", "11.0");
    const plan = planEnvironment({ image: IMAGE, gpus: "all" }, facts);
    expect(
      preflightImage(
        plan,
        image({ env: { NVIDIA_REQUIRE_CUDA: REQUIRE_112, NVIDIA_DISABLE_REQUIRE: "1" } }),
        facts,
      ),
    ).toEqual([]);
  });
});

describe("image architecture and disk", () => {
  it("an arm64 image on an x86_64 host is refused before create", () => {
    const facts = dockerFacts();
    const plan = planEnvironment({ image: IMAGE }, facts);
    expect(codeOf(() => preflightImage(plan, image({ architecture: "arm64" }), facts))).toBe(
      "ARCH_MISMATCH",
    );
    expect(codeOf(() => preflightImage(plan, image(), facts))).toBeUndefined();
  });

  it("a pull is refused below 6 GiB free and warned below 20 GiB", () => {
    const facts = (free: number) => ({
      ...dockerFacts(),
      engine: { ...dockerFacts().engine, dataRootFreeBytes: free },
    });
    expect(codeOf(() => preflightDisk(facts(2 * 1024 ** 3)))).toBe("DISK_FULL");
    expect(preflightDisk(facts(10 * 1024 ** 3)).map((w) => w.code)).toEqual(["LOW_DISK"]);
    expect(preflightDisk(facts(50 * 1024 ** 3))).toEqual([]);
  });
});

describe("the version asked for vs the version the image says it is (R9)", () => {
  it("warns when a release tag contradicts the image's version label", async () => {
    const { versionMismatch } = await import("../../../src/environment/preflight.js");
    const labelled = image({ labels: { "org.opencontainers.image.version": "1.5.3" } });
    expect(versionMismatch("modelbox/x:v1.6.0", labelled).map((w) => w.code)).toEqual([
      "VERSION_MISMATCH",
    ]);
    expect(versionMismatch("modelbox/x:v1.5.3", labelled)).toEqual([]);
    expect(versionMismatch("modelbox/x:1.5.3", labelled)).toEqual([]);
    // "latest" names no version; an image without the label cannot be checked.
    expect(versionMismatch("modelbox/x:latest", labelled)).toEqual([]);
    expect(versionMismatch("modelbox/x:v1.6.0", image())).toEqual([]);
    expect(versionMismatch("127.0.0.1:5000/modelbox/x:v1.6.0", labelled)).toHaveLength(1);
  });
});
