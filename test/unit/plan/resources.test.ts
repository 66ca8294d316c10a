import { describe, expect, it } from "vitest";
import {
  dockerSize,
  kubernetesCpu,
  kubernetesSize,
  parseCpus,
  parseMemory,
  parseResourceLimits,
  parseSize,
} from "../../../src/plan/resources.js";
import { expectError } from "./errors.js";

const GiB = 1024 ** 3;

describe("--cpus and --memory: one reading for docker run and Kubernetes", () => {
  it("reads CPUs as a number with up to three decimals", () => {
    expect(parseCpus("4")).toBe(4);
    expect(parseCpus("1.5")).toBe(1.5);
    expect(parseCpus(0.25)).toBe(0.25);
    for (const bad of ["0", "-1", "1.2345", "two", "", "1e3", "5000"]) {
      expectError(() => parseCpus(bad), "INVALID_OPTION");
    }
  });

  it("reads sizes as Docker does: k, m, g, t are powers of 1024, with or without i/b", () => {
    expect(parseSize("16g", "--memory")).toBe(16 * GiB);
    for (const text of ["16G", "16Gi", "16GiB", "16gb", "16 g"])
      expect(parseSize(text, "--memory")).toBe(16 * GiB);
    expect(parseSize("512m", "--memory")).toBe(512 * 1024 ** 2);
    expect(parseSize("1073741824", "--memory")).toBe(GiB);
    expect(parseSize("100b", "--pvc-size")).toBe(100);
    for (const bad of ["", "g", "1.5g", "16x", "-1g", "16 GB extra"]) {
      expectError(() => parseSize(bad, "--pvc-size"), "INVALID_OPTION");
    }
  });

  it("refuses a memory limit too small for any container", () => {
    expectError(() => parseMemory("4m"), "INVALID_OPTION");
    expect(parseMemory("6m")).toBe(6 * 1024 ** 2);
  });

  it("leaves out what was not asked for", () => {
    expect(parseResourceLimits(undefined, undefined)).toEqual({});
    expect(parseResourceLimits("2", undefined)).toEqual({ cpus: 2 });
    expect(parseResourceLimits(undefined, "1g")).toEqual({ memoryBytes: GiB });
  });

  it("writes the same amount in each target's spelling", () => {
    expect(dockerSize(16 * GiB)).toBe("16g");
    expect(dockerSize(1536 * 1024 ** 2)).toBe("1536m");
    expect(dockerSize(1000)).toBe("1000");
    expect(kubernetesSize(16 * GiB)).toBe("16Gi");
    expect(kubernetesSize(1536 * 1024)).toBe("1536Ki");
    expect(kubernetesSize(1000)).toBe("1000");
    expect(kubernetesCpu(2)).toBe("2");
    expect(kubernetesCpu(1.5)).toBe("1500m");
    expect(kubernetesCpu(0.001)).toBe("1m");
  });
});
