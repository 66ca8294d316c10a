/**
 * Parsers for Huawei's `npu-smi` (Ascend NPUs). Pure: text in, plain data out.
 *
 * `npu-smi info` prints one block per chip, two rows each:
 *   | <NPU>  <Name>      | <Health> | ...
 *   | <Chip> [<Device>]  | <Bus-Id> | ...
 * The NPU column is the CARD id (215, 1792, 32896 on real hosts), not the /dev/davinci index, and a
 * card can carry several chips (one block per chip, same NPU id). The second column of row two is
 * labelled "Device" (the chip's logic id) in most versions, "Phy-ID" on Atlas A3, or missing.
 * After the chip blocks some versions print a process table; its rows ("| 0  0 | 3325989 | ...")
 * would look like chip rows, so parsing stops at its header.
 */

export interface NpuChip {
  /** "NPU" column: the card id. */
  cardId: number;
  /** "Chip" column: the chip's index on its card. */
  chipId: number;
  /** As printed: "310", "310P3", "910A", "Ascend910"; "xxx" where a vendor doc masked it. */
  name: string;
  health?: string;
  busId?: string;
  /**
   * "Device" column when present: the chip's device id, usually the /dev/davinci<N> index. Not
   * reliable enough to build --device flags from (a recorded 21.0.4 sample shows 3-6 for chips
   * 0-3 of card 6): enumerate /dev/davinci[0-9]* or use `npu-smi info -m` logic ids for that.
   */
  deviceId?: number;
  /** "Phy-ID" column (Atlas A3 layout), when present. */
  phyId?: number;
}

export interface NpuSmiInfo {
  /** The tool's version, "npu-smi 24.1.rc2". */
  smiVersion?: string;
  /** The "Version:" value on the same line: the NPU driver version (e.g. "21.0.4.B030"). */
  driverVersion?: string;
  chips: NpuChip[];
}

const VERSION_LINE = /npu-smi\s+(\S+)\s+Version:\s*(\S+)/;
const ROW_ONE = /^\|\s*(\d+)\s+(\S(?:.*?\S)?)\s*\|\s*([^|]*?)\s*\|/;
const ROW_TWO =
  /^\|\s*(\d+)(?:\s+(\d+))?\s*\|\s*([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-9A-Fa-f])?\s*\|/;

/** Parses `npu-smi info`. Returns no chips (not an error) for text without chip rows. */
export function parseNpuSmiInfo(text: string): NpuSmiInfo {
  const lines = text.split(/\r?\n/);
  const version = lines.map((l) => VERSION_LINE.exec(l)).find((m) => m !== null);
  const chips: NpuChip[] = [];
  let secondColumn: "device" | "phy" | undefined;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/Process id|Process name/i.test(line)) break; // the process table: not chips
    const label = /^\|\s*Chip\s+(\S+)?/.exec(line);
    if (label) {
      secondColumn = label[1] === "Device" ? "device" : label[1] === "Phy-ID" ? "phy" : undefined;
      continue;
    }
    const one = ROW_ONE.exec(line);
    const two = ROW_TWO.exec(lines[i + 1] ?? "");
    if (!one || !two || !/\S/.test(one[3] ?? "")) continue;
    // Row one's third cell is health text (OK, Warning, Alarm...), row two's holds a bus id: this
    // pairing is what tells a chip block from header or process rows.
    if (!two[3]) continue;
    const chip: NpuChip = {
      cardId: Number(one[1]),
      chipId: Number(two[1]),
      name: (one[2] ?? "").trim(),
      health: (one[3] ?? "").trim(),
      busId: two[3],
    };
    if (two[2] !== undefined) {
      if (secondColumn === "phy") chip.phyId = Number(two[2]);
      else chip.deviceId = Number(two[2]);
    }
    chips.push(chip);
    i++;
  }

  return {
    ...(version ? { smiVersion: version[1] ?? "", driverVersion: version[2] ?? "" } : {}),
    chips,
  };
}

export interface NpuChipMapping {
  cardId: number;
  chipId: number;
  /**
   * "Chip Logic ID": the N of /dev/davinci<N>. Absent for rows printed with "-": the card's MCU
   * (management controller) is listed as a chip but is not an NPU and has no device node.
   */
  logicId?: number;
  /** As printed: "MiniD" (Ascend 310's internal name), "Ascend 310P3", "Ascend 910A", "Mcu". */
  name: string;
}

/**
 * Parses `npu-smi info -m` (NPU ID, Chip ID, Chip Logic ID, Chip Name). Column widths differ
 * between versions, so rows are split on whitespace: three ids, then the name (which may hold a
 * space, as in "Ascend 910A").
 */
export function parseNpuSmiMapping(text: string): NpuChipMapping[] {
  const out: NpuChipMapping[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+|-)\s+(\S.*?)\s*$/.exec(line);
    if (!m) continue;
    out.push({
      cardId: Number(m[1]),
      chipId: Number(m[2]),
      ...(m[3] !== "-" ? { logicId: Number(m[3]) } : {}),
      name: m[4] ?? "",
    });
  }
  return out;
}

/** The /dev/davinci indices named by a mapping: logic ids of real NPU chips (MCU rows skipped). */
export function davinciIndices(mapping: readonly NpuChipMapping[]): number[] {
  return mapping
    .map((m) => m.logicId)
    .filter((id): id is number => id !== undefined)
    .sort((a, b) => a - b);
}

export type AscendChipFamily = "310" | "310P" | "910" | "other";

/**
 * Which ModelBox image line a chip needs: plain cann images are for 310, "-d310p" images for 310P.
 * Accepts the spellings npu-smi uses: "310", "310P3", "Ascend 310P3", "Ascend910", "910A",
 * "910B3", and "MiniD" (the 310's internal name in old `info -m`). 310B (Atlas 200I A2) is a
 * different chip and is "other".
 */
export function chipFamily(name: string): AscendChipFamily {
  const n = name
    .trim()
    .replace(/^Ascend\s*/i, "")
    .toUpperCase();
  if (/^310P/.test(n)) return "310P";
  if (n === "310" || n === "MINID") return "310";
  if (/^910/.test(n)) return "910";
  return "other";
}
