import { describe, expect, it } from "vitest";
import {
  PUBLISHED_IMAGES,
  findPublishedImage,
  formatModelboxName,
  parseModelboxName,
} from "../../../src/catalog/index.js";

describe("published images", () => {
  it("holds every published name exactly once", () => {
    // Each stack is published as develop and runtime (2) on ubuntu and openeuler (2):
    //   CUDA: tensorrt 8.4.2, tensorflow 2.6.0, tensorrt 7.1.3, libtorch 1.9.1 → 4 × 2 × 2 × 1 arch = 16
    //   CANN 6.0.1: mindspore 1.9.0 plain and -d310p                            → 2 × 2 × 2 × 2 arches = 16
    //   older CANN 5.0.4: mindspore 1.6.1                                       → 1 × 2 × 2 × 2 arches = 8
    expect(PUBLISHED_IMAGES).toHaveLength(16 + 16 + 8);
    expect(new Set(PUBLISHED_IMAGES.map((entry) => entry.name)).size).toBe(40);
    expect(PUBLISHED_IMAGES.filter((entry) => entry.current)).toHaveLength(32);
  });

  it("contains the names ModelBox lists and nothing it does not publish", () => {
    const names = new Set(PUBLISHED_IMAGES.map((entry) => entry.name));
    for (const name of [
      "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64",
      "modelbox-runtime-tensorrt_8.4.2-cuda_11.2-openeuler-x86_64",
      "modelbox-develop-tensorrt_7.1.3-cuda_10.2-ubuntu-x86_64",
      "modelbox-runtime-libtorch_1.9.1-cuda_10.2-openeuler-x86_64",
      "modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-aarch64",
      "modelbox-runtime-mindspore_1.9.0-cann_6.0.1-d310p-openeuler-x86_64",
      "modelbox-develop-mindspore_1.6.1-cann_5.0.4-openeuler-aarch64",
    ]) {
      expect(names).toContain(name);
    }
    // CUDA images are x86_64 only; there is no -d310p for the old CANN release.
    expect(names).not.toContain("modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-aarch64");
    expect(names).not.toContain("modelbox-develop-mindspore_1.6.1-cann_5.0.4-d310p-ubuntu-x86_64");
  });

  it("describes each entry consistently with its name", () => {
    for (const entry of PUBLISHED_IMAGES) {
      expect(entry.repository).toBe(`modelbox/${entry.name}`);
      expect(entry.defaultTag).toBe("latest");
      const parsed = parseModelboxName(entry.name);
      expect(parsed).toEqual({
        kind: entry.kind,
        engine: entry.engine,
        engineVersion: entry.engineVersion,
        accel: entry.accel,
        accelVersion: entry.accelVersion,
        d310p: entry.d310p,
        os: entry.os,
        arch: entry.arch,
      });
      expect(formatModelboxName(entry)).toBe(entry.name);
      expect(entry.current).toBe(!entry.name.includes("mindspore_1.6.1"));
    }
  });

  it("records the driver each CUDA image needs and the chip each CANN image is for", () => {
    for (const entry of PUBLISHED_IMAGES) {
      if (entry.accel === "cuda") {
        expect(entry.ascendChip).toBeUndefined();
        expect(entry.cuda?.version).toBe(entry.accelVersion);
        if (entry.accelVersion === "11.2") {
          expect(entry.cuda).toEqual({
            version: "11.2",
            imageVersion: "11.2.2",
            minDriver: "460.27.03",
            minDriverMinorCompat: "450.80.02",
          });
        } else {
          expect(entry.cuda).toEqual({
            version: "10.2",
            imageVersion: "10.2.89",
            minDriver: "440.33",
          });
        }
      } else {
        expect(entry.cuda).toBeUndefined();
        expect(entry.ascendChip).toBe(entry.d310p ? "310P" : "310");
      }
    }
  });

  it("is frozen so callers cannot change the catalogue for each other", () => {
    expect(Object.isFrozen(PUBLISHED_IMAGES)).toBe(true);
    expect(Object.isFrozen(PUBLISHED_IMAGES[0])).toBe(true);
  });
});

describe("findPublishedImage", () => {
  it("finds the entry from a name or a reference on any registry", () => {
    const name = "modelbox-develop-mindspore_1.9.0-cann_6.0.1-d310p-ubuntu-aarch64";
    for (const text of [
      name,
      `modelbox/${name}:latest`,
      `mirror.example.cn:5000/ai/${name}@sha256:${"f".repeat(64)}`,
    ]) {
      expect(findPublishedImage(text)?.name).toBe(name);
    }
  });

  it("returns undefined for unpublished or malformed images", () => {
    expect(
      findPublishedImage("modelbox/modelbox-develop-tensorflow_2.7.0-cuda_11.2-ubuntu-x86_64"),
    ).toBeUndefined();
    expect(findPublishedImage("ubuntu:22.04")).toBeUndefined();
    expect(findPublishedImage("Not An Image")).toBeUndefined();
  });
});
