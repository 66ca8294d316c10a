import { describe, expect, it } from "vitest";
import { ModelboxDevError } from "../../../src/errors.js";
import {
  PUBLISHED_IMAGES,
  describeImage,
  formatImageReference,
  formatModelboxName,
  parseImageReference,
  parseModelboxName,
  requireModelboxName,
} from "../../../src/catalog/index.js";

const DIGEST = `sha256:${"a1b2c3d4".repeat(8)}`;
const names = PUBLISHED_IMAGES.map((entry) => entry.name);

describe("ModelBox names", () => {
  it("reads the parts of the seed's example", () => {
    expect(parseModelboxName("modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64")).toEqual({
      kind: "develop",
      engine: "tensorflow",
      engineVersion: "2.6.0",
      accel: "cuda",
      accelVersion: "11.2",
      d310p: false,
      os: "ubuntu",
      arch: "x86_64",
    });
    expect(
      parseModelboxName("modelbox-runtime-mindspore_1.9.0-cann_6.0.1-d310p-openeuler-aarch64"),
    ).toEqual({
      kind: "runtime",
      engine: "mindspore",
      engineVersion: "1.9.0",
      accel: "cann",
      accelVersion: "6.0.1",
      d310p: true,
      os: "openeuler",
      arch: "aarch64",
    });
  });

  it.each(names)("round-trips %s", (name) => {
    const parsed = parseModelboxName(name);
    expect(parsed).toBeDefined();
    expect(formatModelboxName(parsed!)).toBe(name);
  });

  it.each(names)("round-trips full references to %s", (name) => {
    for (const text of [
      `modelbox/${name}`,
      `modelbox/${name}:latest`,
      `docker.io/modelbox/${name}:v1.5.3`,
      `swr.cn-north-4.myhuaweicloud.com/modelbox/${name}:latest`,
      `localhost:5000/${name}@${DIGEST}`,
      `registry.example.com:8443/team/ai/${name}:1.0@${DIGEST}`,
    ]) {
      expect(formatImageReference(parseImageReference(text))).toBe(text);
      const described = describeImage(text);
      expect(described.modelbox && formatModelboxName(described.modelbox)).toBe(name);
    }
  });

  it("accepts engines it does not know, since mirrors and later releases may carry them", () => {
    expect(
      parseModelboxName("modelbox-develop-onnxruntime_1.12.0-cuda_11.6-ubuntu-x86_64")?.engine,
    ).toBe("onnxruntime");
    expect(
      parseModelboxName("modelbox-develop-mindspore_2.1.0-cann_6.3.rc2-ubuntu-aarch64")
        ?.accelVersion,
    ).toBe("6.3.rc2");
  });

  it.each([
    ["modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu", /has 5 dash-separated parts/],
    ["mbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64", /does not start with "modelbox-"/],
    [
      "modelbox-debug-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64",
      /kind "debug" is not develop or runtime/,
    ],
    [
      "modelbox-develop-tensorflow-cuda_11.2-ubuntu-x86_64",
      /engine part "tensorflow" is not <engine>_<version>/,
    ],
    ["modelbox-develop-tensorflow_v2-cuda_11.2-ubuntu-x86_64", /engine part "tensorflow_v2"/],
    [
      "modelbox-develop-tensorflow_2.6.0-rocm_5.0-ubuntu-x86_64",
      /accelerator "rocm" is not cuda or cann/,
    ],
    ["modelbox-develop-tensorflow_2.6.0-cuda11.2-ubuntu-x86_64", /accelerator part "cuda11.2"/],
    [
      "modelbox-develop-tensorflow_2.6.0-cuda_11.2-d310p-ubuntu-x86_64",
      /-d310p applies only to cann/,
    ],
    [
      "modelbox-develop-mindspore_1.9.0-cann_6.0.1-d910-ubuntu-x86_64",
      /"d910" stands where only "d310p"/,
    ],
    [
      "modelbox-develop-tensorflow_2.6.0-cuda_11.2-centos-x86_64",
      /OS "centos" is not ubuntu or openeuler/,
    ],
    [
      "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-amd64",
      /arch "amd64" is not x86_64 or aarch64/,
    ],
    [
      "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64-extra-part",
      /has 8 dash-separated parts/,
    ],
    [
      "Modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64",
      /does not start with "modelbox-"/,
    ],
  ])("rejects %s", (text, problem) => {
    expect(parseModelboxName(text)).toBeUndefined();
    let error: unknown;
    try {
      requireModelboxName(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelboxDevError);
    expect((error as ModelboxDevError).code).toBe("INVALID_IMAGE");
    expect((error as ModelboxDevError).message).toMatch(problem);
    expect((error as ModelboxDevError).hint).toContain("modelbox-{develop|runtime}-<engine>_<ver>");
  });
});

describe("describeImage", () => {
  it("reads the ModelBox name whatever the registry and namespace", () => {
    const described = describeImage(
      "hub.example.cn/ai-mirror/modelbox-develop-libtorch_1.9.1-cuda_10.2-openeuler-x86_64:v1.1.0",
    );
    expect(described.reference).toEqual({
      registry: "hub.example.cn",
      path: "ai-mirror/modelbox-develop-libtorch_1.9.1-cuda_10.2-openeuler-x86_64",
      tag: "v1.1.0",
    });
    expect(described.modelbox).toMatchObject({
      engine: "libtorch",
      accelVersion: "10.2",
      os: "openeuler",
    });
  });

  it("describes other images without ModelBox info", () => {
    expect(describeImage("ubuntu:22.04")).toEqual({ reference: { path: "ubuntu", tag: "22.04" } });
  });

  it("throws INVALID_IMAGE for malformed references", () => {
    expect(() => describeImage("modelbox/Bad Name")).toThrow(/whitespace/);
  });
});
