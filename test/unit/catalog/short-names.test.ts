import { describe, expect, it } from "vitest";
import { resolveImageArgument } from "../../../src/catalog/image-argument.js";
import { PUBLISHED_IMAGES } from "../../../src/catalog/published-images.js";
import {
  closestImages,
  findByShortName,
  looksLikeCatalogueName,
  shortImageReference,
  shortName,
} from "../../../src/catalog/short-names.js";

describe("the catalogue's short names", () => {
  it("name every published image once", () => {
    const shorts = PUBLISHED_IMAGES.map(shortName);
    expect(new Set(shorts).size).toBe(PUBLISHED_IMAGES.length);
    expect(shorts).toContain("tensorflow_2.6.0-cuda_11.2");
    expect(shorts).toContain("runtime-mindspore_1.9.0-cann_6.0.1-d310p-openeuler-aarch64");
  });

  it("stand for their image with up --image and pull, a tag after them kept", () => {
    expect(resolveImageArgument("tensorflow_2.6.0-cuda_11.2")).toBe(
      "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest",
    );
    expect(resolveImageArgument("runtime-libtorch_1.9.1-cuda_10.2:1.5.3")).toBe(
      "modelbox/modelbox-runtime-libtorch_1.9.1-cuda_10.2-ubuntu-x86_64:1.5.3",
    );
    expect(findByShortName("tensorflow_2.6.0-cuda_11.2:")).toBeUndefined();
    // Full names and other references are as before.
    expect(resolveImageArgument("ubuntu:22.04")).toBe("ubuntu:22.04");
  });

  it("shorten references for tables: Docker Hub's modelbox/ and :latest go, other tags stay", () => {
    expect(
      shortImageReference(
        "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:fixture-abc",
      ),
    ).toBe("tensorflow_2.6.0-cuda_11.2:fixture-abc");
    expect(
      shortImageReference(
        "mirror.example.com:5000/modelbox/modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-aarch64:latest",
      ),
    ).toBe("mirror.example.com:5000/…/mindspore_1.9.0-cann_6.0.1-aarch64");
    expect(shortImageReference("ubuntu:22.04")).toBe("ubuntu:22.04");
  });
});

describe("did you mean: the closest catalogue names", () => {
  it("a typo finds the image it was meant for first", () => {
    expect(shortName(closestImages("tensorflw_2.6.0-cuda_11.2")[0]!)).toBe(
      "tensorflow_2.6.0-cuda_11.2",
    );
    expect(
      shortName(closestImages("modelbox-develop-libtorch_1.9-cuda_10.2-ubuntu-x86_64")[0]!),
    ).toBe("libtorch_1.9.1-cuda_10.2");
  });

  it("the beginning of a full name, typed with or without a typo, finds the images it begins", () => {
    const first = (text: string) => closestImages(text).map(shortName);
    expect(first("modelbox-develop-libtorch_1.9")[0]).toBe("libtorch_1.9.1-cuda_10.2");
    expect(first("modelbox-develp-tensorflow")[0]).toBe("tensorflow_2.6.0-cuda_11.2");
    expect(first("modelbox-develop-tensorflw")[0]).toBe("tensorflow_2.6.0-cuda_11.2");
    expect(first("modelbox-runtime-mindspore_1.9")[0]).toBe("runtime-mindspore_1.9.0-cann_6.0.1");
    // A name's beginning typed for another engine: pytorch is libtorch's nearest.
    expect(first("pytorch")[0]).toBe("libtorch_1.9.1-cuda_10.2");
  });

  it("part of a short name finds the images that contain it, current releases first", () => {
    const near = closestImages("mindspore", 3).map(shortName);
    expect(near.every((n) => n.includes("mindspore"))).toBe(true);
    expect(near.some((n) => n.includes("1.6.1"))).toBe(false);
  });

  it("a name is meant for the catalogue when it is modelbox-… or part of a short name", () => {
    expect(looksLikeCatalogueName("modelbox-develop-foo")).toBe(true);
    expect(looksLikeCatalogueName("tensorflow")).toBe(true);
    expect(looksLikeCatalogueName("tensorflow_2.6-cuda_11.2")).toBe(true);
    expect(looksLikeCatalogueName("python:3.11")).toBe(false);
    expect(looksLikeCatalogueName("ubuntu:22.04")).toBe(false);
    expect(looksLikeCatalogueName("registry.example.com/team/app:1")).toBe(false);
  });
});
