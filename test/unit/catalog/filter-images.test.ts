import { describe, expect, it } from "vitest";
import { ModelboxDevError } from "../../../src/errors.js";
import { PUBLISHED_IMAGES, filterImages } from "../../../src/catalog/index.js";

const names = (filter: Parameters<typeof filterImages>[1]) =>
  filterImages(PUBLISHED_IMAGES, filter).map((entry) => entry.name);

describe("filterImages", () => {
  it("leaves out superseded releases unless asked", () => {
    expect(filterImages(PUBLISHED_IMAGES)).toHaveLength(32);
    expect(filterImages(PUBLISHED_IMAGES, { includeOld: true })).toHaveLength(40);
  });

  it("filters by engine, treating pytorch as libtorch", () => {
    const libtorch = names({ engine: "libtorch" });
    expect(libtorch).toEqual([
      "modelbox-develop-libtorch_1.9.1-cuda_10.2-ubuntu-x86_64",
      "modelbox-develop-libtorch_1.9.1-cuda_10.2-openeuler-x86_64",
      "modelbox-runtime-libtorch_1.9.1-cuda_10.2-ubuntu-x86_64",
      "modelbox-runtime-libtorch_1.9.1-cuda_10.2-openeuler-x86_64",
    ]);
    expect(names({ engine: "PyTorch" })).toEqual(libtorch);
  });

  it("reads ascend as cann and cpu as the CUDA images", () => {
    const ascend = names({ accel: "ascend" });
    expect(ascend).toHaveLength(16);
    expect(ascend.every((name) => name.includes("-cann_"))).toBe(true);
    expect(names({ accel: "cann" })).toEqual(ascend);
    const cpu = names({ accel: "cpu" });
    expect(cpu).toHaveLength(16);
    expect(cpu.every((name) => name.includes("-cuda_"))).toBe(true);
    expect(names({ accel: "cuda" })).toEqual(cpu);
  });

  it("combines criteria", () => {
    expect(
      names({
        engine: "mindspore",
        os: "openeuler",
        arch: "aarch64",
        kind: "runtime",
        includeOld: true,
      }),
    ).toEqual([
      "modelbox-runtime-mindspore_1.9.0-cann_6.0.1-openeuler-aarch64",
      "modelbox-runtime-mindspore_1.9.0-cann_6.0.1-d310p-openeuler-aarch64",
      "modelbox-runtime-mindspore_1.6.1-cann_5.0.4-openeuler-aarch64",
    ]);
    expect(names({ arch: "arm64", accel: "cuda" })).toEqual([]);
    expect(names({ arch: "aarch64" })).toHaveLength(8);
  });

  it.each([
    [{ engine: "caffe" }, /Unknown engine "caffe"/, /tensorflow, libtorch, tensorrt, mindspore/],
    [{ accel: "rocm" }, /Unknown accelerator "rocm"/, /cuda, ascend, cann, cpu/],
    [{ os: "centos" }, /Unknown OS "centos"/, /ubuntu, openeuler/],
    [{ arch: "ppc64le" }, /Unknown arch "ppc64le"/, /x86_64, aarch64/],
    [{ kind: "debug" }, /Unknown kind "debug"/, /develop, runtime/],
  ])("rejects %j with the valid values", (filter, message, hint) => {
    let error: unknown;
    try {
      filterImages(PUBLISHED_IMAGES, filter);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelboxDevError);
    expect((error as ModelboxDevError).code).toBe("INVALID_OPTION");
    expect((error as ModelboxDevError).message).toMatch(message);
    expect((error as ModelboxDevError).hint).toMatch(hint);
  });
});
