import { describe, expect, it } from "vitest";
import {
  chipFamily,
  davinciIndices,
  parseNpuSmiInfo,
  parseNpuSmiMapping,
} from "../../../src/host/parse-npu-smi.js";
import { recordedIn } from "../../support/recorded.js";

const recorded = recordedIn("npu-smi");

describe("parseNpuSmiInfo", () => {
  it("Ascend 310, npu-smi 20.2.0: one card (215) with 4 chips", () => {
    const info = parseNpuSmiInfo(recorded("info-310-atlas800-3000-npu-smi-20.2.0-4chips.txt"));
    expect(info.smiVersion).toBe("20.2.0");
    expect(info.driverVersion).toBe("20.2.0");
    expect(info.chips.map((c) => [c.cardId, c.chipId, c.deviceId, c.name, c.busId])).toEqual([
      [215, 0, 0, "310", "0000:DA:00.0"],
      [215, 1, 1, "310", "0000:DC:00.0"],
      [215, 2, 2, "310", "0000:DD:00.0"],
      [215, 3, 3, "310", "0000:DB:00.0"],
    ]);
    expect(info.chips.every((c) => c.health === "OK")).toBe(true);
  });

  it("Ascend 310, npu-smi 21.0.4: driver version from the Version field; device ids 3-6", () => {
    const info = parseNpuSmiInfo(recorded("info-310-atlas800-3000-npu-smi-21.0.4-4chips.txt"));
    expect(info.smiVersion).toBe("21.0.4");
    expect(info.driverVersion).toBe("21.0.4.B030");
    expect(info.chips.map((c) => [c.cardId, c.chipId, c.deviceId])).toEqual([
      [6, 0, 3],
      [6, 1, 4],
      [6, 2, 5],
      [6, 3, 6],
    ]);
  });

  it("310P3 duo card 1792 in a container: two chips on one card and one bus id; process table skipped", () => {
    const info = parseNpuSmiInfo(
      recorded("info-310P3-duo-npu-smi-24.1.rc2-2chips-in-container.txt"),
    );
    expect(info.driverVersion).toBe("24.1.rc2");
    expect(info.chips).toEqual([
      { cardId: 1792, chipId: 0, name: "310P3", health: "OK", busId: "0000:07:00.0", deviceId: 0 },
      { cardId: 1792, chipId: 1, name: "310P3", health: "OK", busId: "0000:07:00.0", deviceId: 1 },
    ]);
  });

  it("310P3 with the large card id 32896", () => {
    const info = parseNpuSmiInfo(recorded("info-310P3-npu-smi-25.5.2-large-card-id.txt"));
    expect(info.smiVersion).toBe("25.5.2");
    expect(info.chips).toEqual([
      { cardId: 32896, chipId: 0, name: "310P3", health: "OK", busId: "0000:00:00.0", deviceId: 0 },
    ]);
  });

  it("Atlas A3: 8 cards x 2 chips, Phy-ID column, process rows (with empty names) not read as chips", () => {
    const info = parseNpuSmiInfo(
      recorded("info-910-A3-npu-smi-25.2.3-16chips-processes-noname.txt"),
    );
    expect(info.driverVersion).toBe("25.2.3");
    expect(info.chips).toHaveLength(16);
    expect(info.chips.every((c) => c.name === "Ascend910")).toBe(true);
    expect(info.chips.map((c) => c.phyId)).toEqual([...Array(16).keys()]);
    expect(info.chips.every((c) => c.deviceId === undefined)).toBe(true);
    expect(info.chips[15]).toMatchObject({ cardId: 7, chipId: 1, busId: "0000:83:00.0" });
  });

  it("Atlas 800 9010 (24.1.RC2): no device column, Warning health kept, process table skipped", () => {
    const info = parseNpuSmiInfo(
      recorded("info-910-atlas800-9010-npu-smi-24.1.RC2-with-processes.txt"),
    );
    expect(info.driverVersion).toBe("24.1.RC2");
    expect(info.chips.map((c) => c.cardId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(info.chips.every((c) => c.chipId === 0 && c.name === "xxx")).toBe(true);
    expect(info.chips.filter((c) => c.health === "Warning").map((c) => c.cardId)).toEqual([3, 7]);
    expect(info.chips[0]?.deviceId).toBeUndefined();
  });

  it("910A x8 with npu-smi 22.0.3.1", () => {
    const info = parseNpuSmiInfo(recorded("info-910A-atlas800-9010-npu-smi-22.0.3.1-8npu.txt"));
    expect(info.smiVersion).toBe("22.0.3.1");
    expect(info.chips).toHaveLength(8);
    expect(info.chips.every((c) => c.name === "910A" && c.health === "OK")).toBe(true);
    expect(info.chips[7]).toMatchObject({ cardId: 7, chipId: 0, busId: "0000:3D:00.0" });
  });

  it("text without a table yields no chips", () => {
    expect(parseNpuSmiInfo("")).toEqual({ chips: [] });
  });
});

describe("parseNpuSmiMapping (info -m)", () => {
  it("310, old narrow layout: MiniD chips with logic ids 0-3", () => {
    const m = parseNpuSmiMapping(recorded("info-m-310-npu-smi-20.2.0.txt"));
    expect(m).toEqual(
      [0, 1, 2, 3].map((i) => ({ cardId: 215, chipId: i, logicId: i, name: "MiniD" })),
    );
    expect(davinciIndices(m)).toEqual([0, 1, 2, 3]);
  });

  it("310 with an Mcu row that has no logic id", () => {
    const m = parseNpuSmiMapping(recorded("info-m-310-npu-smi-21.0.4.txt"));
    expect(m).toHaveLength(5);
    expect(m[4]).toEqual({ cardId: 6, chipId: 4, name: "Mcu" });
    expect(davinciIndices(m)).toEqual([0, 1, 2, 3]);
  });

  it("310P3: chip name with a space, Mcu row", () => {
    expect(parseNpuSmiMapping(recorded("info-m-310P3-npu-smi-25.5.2.txt"))).toEqual([
      { cardId: 32896, chipId: 0, logicId: 0, name: "Ascend 310P3" },
      { cardId: 32896, chipId: 1, name: "Mcu" },
    ]);
  });

  it("8x 910A: card id and logic id coincide, chip id is 0", () => {
    const m = parseNpuSmiMapping(recorded("info-m-910A-8npu.txt"));
    expect(m.map((e) => [e.cardId, e.chipId, e.logicId])).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [i, 0, i]),
    );
    expect(m.every((e) => e.name === "Ascend 910A")).toBe(true);
  });
});

describe("chipFamily", () => {
  it.each([
    ["310", "310"],
    ["MiniD", "310"],
    ["310P3", "310P"],
    ["Ascend 310P3", "310P"],
    ["910A", "910"],
    ["910B3", "910"],
    ["Ascend910", "910"],
    ["Ascend 910A", "910"],
    ["310B1", "other"],
    ["xxx", "other"],
    ["Mcu", "other"],
  ] as const)("%s → %s", (name, family) => {
    expect(chipFamily(name)).toBe(family);
  });

  it("classifies every recorded chip name", () => {
    const names = [
      ...parseNpuSmiInfo(recorded("info-310P3-npu-smi-25.5.2-large-card-id.txt")).chips,
      ...parseNpuSmiInfo(recorded("info-310-atlas800-3000-npu-smi-20.2.0-4chips.txt")).chips,
      ...parseNpuSmiInfo(recorded("info-910A-atlas800-9010-npu-smi-22.0.3.1-8npu.txt")).chips,
    ].map((c) => chipFamily(c.name));
    expect(new Set(names)).toEqual(new Set(["310P", "310", "910"]));
  });
});
