import { describe, expect, it } from "vitest";
import { ModelboxDevError } from "../../../../src/errors.js";
import {
  hostFactsSchema,
  type HostFacts,
  type HostFactsInput,
} from "../../../../src/host/facts.js";
import { PUBLISHED_IMAGES, type PublishedImage } from "../../../../src/catalog/index.js";
import {
  CPU_ONLY_WARNING,
  assessImageForHost,
  chooseImage,
  type ImagePreferences,
} from "../../../../src/plan/image/index.js";

const engine: HostFactsInput["engine"] = {
  kind: "docker",
  serverVersion: "24.0.7",
  apiVersion: "1.43",
  cgroupVersion: 2,
  arch: "x86_64",
};

function host(input: Omit<Partial<HostFactsInput>, "engine"> & { arch?: string } = {}): HostFacts {
  const { arch, ...rest } = input;
  return hostFactsSchema.parse({ engine: { ...engine, arch: arch ?? "x86_64" }, ...rest });
}

function nvidiaHost(driverVersion: string, arch = "x86_64"): HostFacts {
  return host({
    arch,
    nvidia: {
      smi: "ok",
      driverVersion,
      gpus: [{ index: 0, name: "Tesla T4" }],
      toolkitPresent: true,
    },
  });
}

function ascendHost(chipName: string | undefined, arch = "x86_64"): HostFacts {
  return host({ arch, ascend: { chips: [0, 1], npuSmi: "ok", ...(chipName ? { chipName } : {}) } });
}

function entry(name: string): PublishedImage {
  const found = PUBLISHED_IMAGES.find((image) => image.name === name);
  if (!found) throw new Error(`test setup: ${name} is not in the catalogue`);
  return found;
}

function failure(facts: HostFacts, prefs: ImagePreferences = {}): ModelboxDevError {
  try {
    chooseImage(PUBLISHED_IMAGES, facts, prefs);
  } catch (error) {
    if (error instanceof ModelboxDevError) return error;
    throw error;
  }
  throw new Error("expected chooseImage to fail");
}

const TF_11_2 = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";

describe("chooseImage", () => {
  it("on a host without accelerators, picks the CUDA tensorflow image and warns about CPU flowunits", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, host());
    expect(choice.entry.name).toBe(TF_11_2);
    expect(choice.warnings).toContain(CPU_ONLY_WARNING);
    expect(choice.reason).toBe(
      `${TF_11_2}: no NVIDIA GPU found, so the CUDA 11.2 image runs on the CPU`,
    );
  });

  it("with NVIDIA driver 535, picks the CUDA 11.2 image without warnings", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, nvidiaHost("535.104.05"));
    expect(choice.entry.name).toBe(TF_11_2);
    expect(choice.warnings).toEqual([]);
    expect(choice.reason).toContain(
      "NVIDIA driver 535.104.05 supports CUDA 11.2 (needs >= 460.27.03)",
    );
    expect(choice.reason).not.toContain("\n");
  });

  it("with driver 450.80.02, picks the CUDA 11.2 image and warns about minor-version compatibility", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, nvidiaHost("450.80.02"));
    expect(choice.entry.name).toBe(TF_11_2);
    expect(choice.warnings).toHaveLength(1);
    expect(choice.warnings[0]).toMatch(/older than 460\.27\.03.*minor-version compatibility/);
  });

  it("with driver 440.33, only CUDA 10.2 images are usable, and it says why tensorflow was not chosen", () => {
    const facts = nvidiaHost("440.33");
    const choice = chooseImage(PUBLISHED_IMAGES, facts);
    expect(choice.entry.name).toBe("modelbox-develop-libtorch_1.9.1-cuda_10.2-ubuntu-x86_64");
    expect(choice.warnings.join(" ")).toMatch(
      /No tensorflow image fits: NVIDIA driver 440\.33 is too old for CUDA 11\.2.*Chose libtorch instead/,
    );

    const usable = PUBLISHED_IMAGES.filter((image) => image.accel === "cuda")
      .filter((image) => assessImageForHost(image, facts).usable)
      .map((image) => image.accelVersion);
    expect(new Set(usable)).toEqual(new Set(["10.2"]));
    expect(chooseImage(PUBLISHED_IMAGES, facts, { engine: "tensorrt" }).entry.name).toBe(
      "modelbox-develop-tensorrt_7.1.3-cuda_10.2-ubuntu-x86_64",
    );
  });

  it("refuses tensorflow on driver 440.33 and points at engines that fit", () => {
    const error = failure(nvidiaHost("440.33"), { engine: "tensorflow" });
    expect(error.code).toBe("IMAGE_NOT_FOUND");
    expect(error.message).toMatch(/too old for CUDA 11\.2/);
    expect(error.hint).toContain(
      "Without --engine tensorflow, modelbox-develop-libtorch_1.9.1-cuda_10.2-ubuntu-x86_64 would fit.",
    );
  });

  it("with driver 418, explains that no CUDA image can use the GPU", () => {
    const error = failure(nvidiaHost("418.87.01"));
    expect(error.code).toBe("IMAGE_NOT_FOUND");
    expect(error.message).toContain("NVIDIA driver 418.87.01 is too old for CUDA 11.2");
    expect(error.message).toContain(
      "NVIDIA driver 418.87.01 is too old for CUDA 10.2 (needs >= 440.33)",
    );
    expect(error.hint).toMatch(
      /CUDA 10\.2 images need >= 440\.33, CUDA 11\.2 images need >= 460\.27\.03/,
    );
    expect(error.hint).toContain("--accel cpu");
  });

  it("with driver 418 and --accel cpu, runs a CUDA image on the CPU", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, nvidiaHost("418.87.01"), { accel: "cpu" });
    expect(choice.entry.name).toBe(TF_11_2);
    expect(choice.warnings).toEqual([CPU_ONLY_WARNING]);
  });

  it("on Ascend 310, picks the plain cann image", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, ascendHost("310"));
    expect(choice.entry.name).toBe("modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-x86_64");
    expect(choice.warnings).toEqual([]);
    expect(choice.reason).toContain(
      "Ascend 310 (/dev/davinci0, /dev/davinci1) matches this plain cann image",
    );
  });

  it("on Ascend 310P3, picks the -d310p image", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, ascendHost("310P3"));
    expect(choice.entry.name).toBe(
      "modelbox-develop-mindspore_1.9.0-cann_6.0.1-d310p-ubuntu-x86_64",
    );
    expect(choice.warnings).toEqual([]);
  });

  it("with an unreported Ascend model, assumes 310 and says so", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, ascendHost(undefined));
    expect(choice.entry.name).toBe("modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-x86_64");
    expect(choice.warnings[0]).toMatch(/did not report the chip model, so Ascend 310 is assumed/);
  });

  it("on Ascend 910, explains that ModelBox has no image for that chip", () => {
    const error = failure(ascendHost("910B"));
    expect(error.code).toBe("IMAGE_NOT_FOUND");
    expect(error.message).toContain(
      "CANN images are for Ascend 310 and 310P; this host has Ascend 910B",
    );
    expect(error.hint).toContain("--accel cpu");
  });

  it("on an aarch64 host, only chooses aarch64 images", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, ascendHost("310P3", "aarch64"), {
      os: "openeuler",
    });
    expect(choice.entry.name).toBe(
      "modelbox-develop-mindspore_1.9.0-cann_6.0.1-d310p-openeuler-aarch64",
    );
    // Docker's spelling of the arch means the same.
    expect(chooseImage(PUBLISHED_IMAGES, ascendHost("310", "arm64")).entry.arch).toBe("aarch64");

    for (const image of PUBLISHED_IMAGES) {
      const assessment = assessImageForHost(image, ascendHost("310", "aarch64"));
      if (image.arch === "x86_64")
        expect(assessment).toMatchObject({ usable: false, blocker: "arch" });
    }
  });

  it("on an aarch64 host without accelerator or with an NVIDIA GPU, finds nothing and says why", () => {
    for (const facts of [host({ arch: "aarch64" }), nvidiaHost("535.104.05", "aarch64")]) {
      const error = failure(facts);
      expect(error.code).toBe("IMAGE_NOT_FOUND");
      expect(error.message).toContain("the image is built for x86_64; this host is aarch64");
      expect(error.hint).toContain("ModelBox publishes CUDA images for x86_64 only");
    }
  });

  it("follows kind, OS and engine preferences", () => {
    const choice = chooseImage(PUBLISHED_IMAGES, nvidiaHost("535.104.05"), {
      engine: "tensorrt",
      os: "openeuler",
      kind: "runtime",
    });
    expect(choice.entry.name).toBe("modelbox-runtime-tensorrt_8.4.2-cuda_11.2-openeuler-x86_64");
  });

  it("explains when the engine does not exist for the accelerator in use", () => {
    const error = failure(nvidiaHost("535.104.05"), { engine: "mindspore" });
    expect(error.code).toBe("IMAGE_NOT_FOUND");
    expect(error.message).toBe("ModelBox publishes no develop ubuntu CUDA image for mindspore.");
    expect(error.hint).toMatch(/mindspore images are CANN \(Ascend\) images .*--accel ascend/);
  });

  it("refuses an accelerator the host does not have", () => {
    expect(failure(host(), { accel: "cuda" }).code).toBe("GPU_UNAVAILABLE");
    expect(failure(host(), { accel: "ascend" }).code).toBe("NPU_UNAVAILABLE");
    const broken = host({ nvidia: { smi: "error", smiError: "NVIDIA-SMI has failed" } });
    expect(failure(broken, { accel: "cuda" }).message).toContain("NVIDIA-SMI has failed");
  });

  it("with a failing nvidia-smi and no preference, runs on the CPU and says why", () => {
    const broken = host({ nvidia: { smi: "error", smiError: "NVIDIA-SMI has failed" } });
    const choice = chooseImage(PUBLISHED_IMAGES, broken);
    expect(choice.entry.name).toBe(TF_11_2);
    expect(choice.warnings[0]).toContain("nvidia-smi failed (NVIDIA-SMI has failed)");
    expect(choice.warnings).toContain(CPU_ONLY_WARNING);
  });

  it("on a host with both NVIDIA and Ascend, uses CUDA and mentions --accel ascend", () => {
    const both = host({
      nvidia: { smi: "ok", driverVersion: "535.104.05", gpus: [{ index: 0, name: "T4" }] },
      ascend: { chips: [0], chipName: "310", npuSmi: "ok" },
    });
    const choice = chooseImage(PUBLISHED_IMAGES, both);
    expect(choice.entry.accel).toBe("cuda");
    expect(choice.warnings.join(" ")).toContain("--accel ascend");
    expect(chooseImage(PUBLISHED_IMAGES, both, { accel: "ascend" }).entry.name).toBe(
      "modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-x86_64",
    );
  });

  it("rejects unknown preference values", () => {
    expect(failure(host(), { engine: "caffe" }).code).toBe("INVALID_OPTION");
    expect(failure(host(), { accel: "rocm" as ImagePreferences["accel"] }).hint).toContain(
      "auto, cuda",
    );
  });
});

describe("assessImageForHost", () => {
  it("checks the driver against each CUDA release", () => {
    const cuda102 = entry("modelbox-develop-libtorch_1.9.1-cuda_10.2-ubuntu-x86_64");
    const cuda112 = entry(TF_11_2);
    expect(assessImageForHost(cuda102, nvidiaHost("440.33"))).toMatchObject({
      usable: true,
      runsOn: "gpu",
    });
    expect(assessImageForHost(cuda102, nvidiaHost("440.32"))).toMatchObject({
      usable: false,
      blocker: "driver",
    });
    expect(assessImageForHost(cuda112, nvidiaHost("460.27.03"))).toMatchObject({
      usable: true,
      warnings: [],
    });
    expect(assessImageForHost(cuda112, nvidiaHost("455.45.01")).warnings).toHaveLength(1);
    expect(assessImageForHost(cuda112, nvidiaHost("450.80.01"))).toMatchObject({
      usable: false,
      blocker: "driver",
    });
  });

  it("matches Ascend chip kinds to plain and -d310p images", () => {
    const plain = entry("modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-x86_64");
    const d310p = entry("modelbox-develop-mindspore_1.9.0-cann_6.0.1-d310p-ubuntu-x86_64");
    expect(assessImageForHost(plain, ascendHost("310"))).toMatchObject({
      usable: true,
      runsOn: "npu",
    });
    expect(assessImageForHost(d310p, ascendHost("310"))).toMatchObject({
      usable: false,
      blocker: "ascend-chip",
    });
    expect(assessImageForHost(d310p, ascendHost("Ascend310P3"))).toMatchObject({ usable: true });
    const mismatch = assessImageForHost(plain, ascendHost("310P3"));
    expect(mismatch).toMatchObject({ usable: false, blocker: "ascend-chip" });
    expect(mismatch.reason).toContain("needs a -d310p image");
    expect(assessImageForHost(plain, host())).toMatchObject({
      usable: false,
      blocker: "no-ascend",
    });
  });
});
