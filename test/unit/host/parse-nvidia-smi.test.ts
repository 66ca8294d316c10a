import { describe, expect, it } from "vitest";
import {
  classifyNvidiaSmiFailure,
  gpusFromNvidiaSmiCsv,
  parseNvidiaSmi,
  parseNvidiaSmiCsv,
  parseNvidiaSmiList,
  parseNvidiaSmiVersion,
} from "../../../src/host/parse-nvidia-smi.js";
import { recordedIn } from "../../support/recorded.js";

const recorded = recordedIn("nvidia-smi");

describe("parseNvidiaSmi (default table)", () => {
  it("pre-450 layout in a device-plugin pod: CUDA N/A, 4 truncated V100 names", () => {
    const t = parseNvidiaSmi(recorded("default-418.181.07-cudaNA-4xV100-in-device-plugin-pod.txt"));
    expect(t?.driverVersion).toBe("418.181.07");
    expect(t?.cudaVersion).toBeUndefined();
    expect(t?.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3]);
    expect(t?.gpus.every((g) => g.name === "Tesla V100-SXM2..." && g.nameTruncated)).toBe(true);
    expect(t?.gpus[3]).toMatchObject({ busId: "00000000:00:0A.0", memoryMiB: 16130 });
  });

  it("440 layout with the old process header: one GTX 1080, processes not taken for GPUs", () => {
    const t = parseNvidiaSmi(recorded("default-440.82-cuda10.2-gtx1080-graphics-processes.txt"));
    expect(t).toEqual({
      smiVersion: "440.82",
      driverVersion: "440.82",
      cudaVersion: "10.2",
      gpus: [
        {
          index: 0,
          name: "GeForce GTX 1080",
          nameTruncated: false,
          busId: "00000000:0D:00.0",
          memoryMiB: 8111,
        },
      ],
    });
  });

  it("450+ layout with GI/CI process columns", () => {
    const t = parseNvidiaSmi(recorded("default-460.32.03-cuda11.2-gtx1080-graphics-processes.txt"));
    expect(t?.driverVersion).toBe("460.32.03");
    expect(t?.cudaVersion).toBe("11.2");
    expect(t?.gpus).toHaveLength(1);
    expect(t?.gpus[0]?.name).toBe("GeForce GTX 1080");
  });

  it("450-525 layout with the MIG M. row and no processes", () => {
    const t = parseNvidiaSmi(recorded("default-515.65.01-cuda11.7-titanv-no-processes.txt"));
    expect(t?.driverVersion).toBe("515.65.01");
    expect(t?.cudaVersion).toBe("11.7");
    expect(t?.gpus).toEqual([
      {
        index: 0,
        name: "NVIDIA TITAN V",
        nameTruncated: false,
        busId: "00000000:AF:00.0",
        memoryMiB: 12288,
      },
    ]);
  });

  it("WSL2: the host driver version is the Driver Version, not the NVIDIA-SMI version", () => {
    const t = parseNvidiaSmi(recorded("default-530.47-driver-531.68-cuda12.1-wsl2-rtx3070.txt"));
    expect(t?.smiVersion).toBe("530.47");
    expect(t?.driverVersion).toBe("531.68");
    expect(t?.cudaVersion).toBe("12.1");
    expect(t?.gpus[0]).toMatchObject({ name: "NVIDIA GeForce RTX 3070", memoryMiB: 8192 });
  });

  it("535 wide layout", () => {
    const t = parseNvidiaSmi(
      recorded("default-535.104.05-cuda12.2-gtx1080-graphics-processes.txt"),
    );
    expect(t?.driverVersion).toBe("535.104.05");
    expect(t?.cudaVersion).toBe("12.2");
    expect(t?.gpus.map((g) => g.name)).toEqual(["NVIDIA GeForce GTX 1080"]);
  });

  it("580 layout: 2x H100; truncated process names do not matter", () => {
    const t = parseNvidiaSmi(
      recorded("default-580.95.05-cuda13.0-2xh100-processes-truncated-names.txt"),
    );
    expect(t?.driverVersion).toBe("580.95.05");
    expect(t?.cudaVersion).toBe("13.0");
    expect(t?.gpus.map((g) => [g.index, g.name, g.busId, g.memoryMiB])).toEqual([
      [0, "NVIDIA H100 80GB HBM3", "00000000:04:00.0", 81559],
      [1, "NVIDIA H100 80GB HBM3", "00000000:05:00.0", 81559],
    ]);
  });

  it("590 with MIG enabled: the MIG devices table is not read as GPUs", () => {
    const t = parseNvidiaSmi(recorded("default-590.48.01-cuda13.1-h100-mig-enabled.txt"));
    expect(t?.driverVersion).toBe("590.48.01");
    expect(t?.cudaVersion).toBe("13.1");
    expect(t?.gpus).toHaveLength(1);
    expect(t?.gpus[0]).toMatchObject({ index: 0, name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 });
  });

  it("590 idle and busy tables give the same single GPU", () => {
    for (const name of [
      "default-590.48.01-cuda13.1-h100-no-processes.txt",
      "default-590.48.01-cuda13.1-h100-with-processes.txt",
    ]) {
      const t = parseNvidiaSmi(recorded(name));
      expect(t?.gpus).toEqual([
        {
          index: 0,
          name: "NVIDIA H100 80GB HBM3",
          nameTruncated: false,
          busId: "00000000:00:09.0",
          memoryMiB: 81559,
        },
      ]);
    }
  });

  it("a process table alone is not a GPU table", () => {
    expect(parseNvidiaSmi(recorded("processes-section-535-era-mps-M+C-3gpus.txt"))).toBeUndefined();
  });
});

describe("parseNvidiaSmiList (-L)", () => {
  it("one MIG-enabled H100 with 4 MIG devices counted, not listed", () => {
    expect(parseNvidiaSmiList(recorded("list-L-590.48.01-h100-mig.txt"))).toEqual([
      {
        index: 0,
        name: "NVIDIA H100 80GB HBM3",
        uuid: "GPU-00000000-0000-0000-0000-000000000000",
        migDevices: 4,
      },
    ]);
  });

  it("8 H100s with 7 MIG slices each", () => {
    const gpus = parseNvidiaSmiList(recorded("list-L-8xH100-mig-1g.10gb.txt"));
    expect(gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gpus.every((g) => g.migDevices === 7 && g.name === "NVIDIA H100 80GB HBM3")).toBe(true);
    expect(gpus[7]?.uuid).toBe("GPU-882ebfab-da98-c41e-357c-47272c0d560d");
  });
});

describe("parseNvidiaSmiVersion", () => {
  it("reads all four versions", () => {
    expect(parseNvidiaSmiVersion(recorded("version-590.48.01.txt"))).toEqual({
      smiVersion: "590.48.01",
      nvmlVersion: "590.48",
      driverVersion: "590.48.01",
      cudaVersion: "13.1",
    });
  });
});

describe("parseNvidiaSmiCsv / gpusFromNvidiaSmiCsv", () => {
  it("2 GPUs of different models", () => {
    const csv = parseNvidiaSmiCsv(recorded("query-gpu-csv-610.57.04-2gpus-mixed-models.txt"));
    expect(csv.fields).toEqual([
      "index",
      "name",
      "uuid",
      "memory.total",
      "driver_version",
      "power.limit",
    ]);
    expect(csv.rows[0]?.driver_version).toBe("610.57.04");
    expect(gpusFromNvidiaSmiCsv(csv)).toEqual([
      {
        index: 0,
        name: "NVIDIA RTX A5000",
        uuid: "GPU-30667114-4567-bc4a-029b-3375d117048e",
        memoryMiB: 24564,
      },
      {
        index: 1,
        name: "NVIDIA RTX 4500 Ada Generation",
        uuid: "GPU-fbe2dd5d-3644-5c37-3179-8ad50079b7d4",
        memoryMiB: 24570,
      },
    ]);
  });

  it("long field sets: [N/A] becomes undefined", () => {
    const old = parseNvidiaSmiCsv(
      recorded("query-gpu-csv-465.27-rtx2080super-throttle-fields.txt"),
    );
    expect(old.rows[0]?.serial).toBeUndefined();
    expect(old.rows[0]?.driver_version).toBe("465.27");
    expect(gpusFromNvidiaSmiCsv(old)[0]).toMatchObject({
      name: "NVIDIA GeForce RTX 2080 SUPER",
      memoryMiB: 7979,
    });

    const full = parseNvidiaSmiCsv(recorded("query-gpu-csv-full-fieldset-590.48.01-h100.txt"));
    expect(full.rows[0]?.driver_version).toBe("590.48.01");
    expect(full.rows[0]?.["compute_cap"]).toBe("9.0");
    expect(gpusFromNvidiaSmiCsv(full)[0]).toMatchObject({ index: 0, memoryMiB: 81559 });
  });

  it("a query without index or memory still lists the GPU", () => {
    const csv = parseNvidiaSmiCsv(recorded("query-gpu-csv-tesla-p100-na-fan.txt"));
    expect(csv.rows[0]?.["fan.speed"]).toBeUndefined();
    expect(gpusFromNvidiaSmiCsv(csv)).toEqual([
      { index: 0, name: "Tesla P100-PCIE-16GB", uuid: "GPU-ef1b2c9b-38d8-2090-2bd1-f567a3eb42a6" },
    ]);
  });

  it("compute-apps CSV: generic records", () => {
    const csv = parseNvidiaSmiCsv(recorded("query-compute-apps-csv-590.48.01-h100.txt"));
    expect(csv.rows.map((r) => [r.pid, r.process_name, r.used_gpu_memory])).toEqual([
      ["11327", "/root/tools/memhog", "2566 MiB"],
      ["11328", "/root/tools/memhog", "1542 MiB"],
      ["11345", "./gpu_burn", "15690 MiB"],
    ]);
  });
});

describe("classifyNvidiaSmiFailure", () => {
  it("driver not loaded", () => {
    const f = classifyNvidiaSmiFailure(recorded("error-couldnt-communicate-with-driver.txt"));
    expect(f.kind).toBe("driver-not-loaded");
    expect(f.hint).toMatch(/modprobe nvidia/);
  });

  it("driver/library mismatch, with and without the library version", () => {
    const recent = classifyNvidiaSmiFailure(recorded("error-nvml-driver-library-mismatch-550.txt"));
    expect(recent.kind).toBe("driver-library-mismatch");
    expect(recent.message).toContain("550.144");
    expect(recent.hint).toMatch(/Reboot/);
    const old = classifyNvidiaSmiFailure(recorded("error-nvml-driver-library-mismatch-old.txt"));
    expect(old.kind).toBe("driver-library-mismatch");
    expect(old.message).not.toContain("libraries:");
  });

  it("device handle errors (GPU lost), both spacings of the bus id", () => {
    const a = classifyNvidiaSmiFailure(
      recorded("error-device-handle-unknown-error-2015-format.txt"),
    );
    expect(a.kind).toBe("gpu-lost");
    expect(a.message).toContain("0000:0B:00.0");
    const b = classifyNvidiaSmiFailure(
      recorded("error-device-handle-unknown-error-gpu-fallen-off.txt"),
    );
    expect(b.kind).toBe("gpu-lost");
    expect(b.message).toContain("0000:07:00.0");
    expect(b.hint).toMatch(/Xid 79/);
  });

  it("unrecognised text keeps its first line", () => {
    expect(classifyNvidiaSmiFailure("\nSomething odd\nmore")).toMatchObject({
      kind: "unknown",
      message: "nvidia-smi failed: Something odd",
    });
  });
});
