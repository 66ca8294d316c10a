import { describe, expect, it } from "vitest";
import {
  parseNvidiaContainerCliInfo,
  parseToolkitVersion,
} from "../../../src/host/parse-nvidia-toolkit.js";
import { recordedIn } from "../../support/recorded.js";

const recorded = recordedIn();

describe("parseToolkitVersion", () => {
  it("nvidia-container-toolkit 1.10.0 (the runtime hook), short commit", () => {
    expect(
      parseToolkitVersion(recorded("nvidia-ctk/nvidia-container-toolkit-version-1.10.0.txt")),
    ).toEqual({ tool: "nvidia-container-toolkit", version: "1.10.0", commit: "7cfd3bd" });
  });

  it("nvidia-container-toolkit 1.17.6, full commit", () => {
    expect(
      parseToolkitVersion(recorded("nvidia-ctk/nvidia-container-toolkit-version-1.17.6.txt")),
    ).toEqual({
      tool: "nvidia-container-toolkit",
      version: "1.17.6",
      commit: "e627eb2e21e167988e04c0579a1c941c1e263ff6",
    });
  });

  it("nvidia-ctk 1.12.0", () => {
    expect(parseToolkitVersion(recorded("nvidia-ctk/nvidia-ctk-version-1.12.0.txt"))).toEqual({
      tool: "nvidia-ctk",
      version: "1.12.0",
      commit: "62bd015475656ef795cb0d59cc4030a6bd4a9526",
    });
  });

  it("nvidia-ctk 1.17.8 (openSUSE)", () => {
    expect(
      parseToolkitVersion(recorded("nvidia-ctk/nvidia-ctk-version-1.17.8-opensuse.txt")),
    ).toMatchObject({ tool: "nvidia-ctk", version: "1.17.8" });
  });

  it("nvidia-container-cli and nvidia-container-runtime banners; anything else is undefined", () => {
    expect(parseToolkitVersion("cli-version: 1.14.3\nlib-version: 1.14.3\n")).toEqual({
      tool: "nvidia-container-cli",
      version: "1.14.3",
    });
    expect(
      parseToolkitVersion("NVIDIA Container Runtime version 1.14.3\ncommit: abc123\n"),
    ).toEqual({
      tool: "nvidia-container-runtime",
      version: "1.14.3",
      commit: "abc123",
    });
    expect(parseToolkitVersion("bash: nvidia-ctk: command not found")).toBeUndefined();
  });
});

describe("parseNvidiaContainerCliInfo", () => {
  it("418.43 / CUDA 10.1 with 4 TITAN Xp", () => {
    const info = parseNvidiaContainerCliInfo(
      recorded("nvidia-container-cli/info-418.43-4x-titanxp.txt"),
    );
    expect(info.driverVersion).toBe("418.43");
    expect(info.cudaVersion).toBe("10.1");
    expect(info.devices).toHaveLength(4);
    expect(info.devices[0]).toEqual({
      index: 0,
      minor: 0,
      model: "TITAN Xp",
      brand: "GeForce",
      uuid: "GPU-0914e0f4-0488-3310-b6ff-49cd7a08e0ae",
      busId: "00000000:3b:00.0",
      architecture: "6.1",
    });
    expect(info.devices.map((d) => d.busId)).toEqual([
      "00000000:3b:00.0",
      "00000000:5e:00.0",
      "00000000:b1:00.0",
      "00000000:d9:00.0",
    ]);
  });

  it("515.105.01 / CUDA 11.7: device index and minor differ", () => {
    const info = parseNvidiaContainerCliInfo(
      recorded("nvidia-container-cli/info-515.105.01-2x-titanv-minor-swapped.txt"),
    );
    expect(info.driverVersion).toBe("515.105.01");
    expect(info.cudaVersion).toBe("11.7");
    expect(info.devices.map((d) => [d.index, d.minor, d.model, d.brand])).toEqual([
      [0, 1, "NVIDIA TITAN V", "TITAN"],
      [1, 0, "NVIDIA TITAN V", "TITAN"],
    ]);
  });

  it("fake driver 575.57.08: 4 T4 with synthetic UUIDs", () => {
    const info = parseNvidiaContainerCliInfo(
      recorded("nvidia-container-cli/info-fake-driver-575.57.08-4xT4.txt"),
    );
    expect(info.driverVersion).toBe("575.57.08");
    expect(info.cudaVersion).toBe("12.2");
    expect(info.devices.map((d) => d.uuid)).toEqual([
      "GPU-0-FAKE-UUID",
      "GPU-1-FAKE-UUID",
      "GPU-2-FAKE-UUID",
      "GPU-3-FAKE-UUID",
    ]);
    expect(
      info.devices.every((d) => d.model === "NVIDIA Tesla T4" && d.architecture === "7.5"),
    ).toBe(true);
  });
});
