import { describe, expect, it } from "vitest";
import { checkMark, colorEnabled, colorsFor, stateColor } from "../../../src/cli/style.js";
import { renderTable } from "../../../src/cli/table.js";

const ESC = "\u001b[";

describe("colour: a terminal only", () => {
  it("on a TTY; not piped, not with NO_COLOR or TERM=dumb; FORCE_COLOR wins", () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: "0" })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: "0" })).toBe(false);
  });

  it("states and doctor marks are coloured when on, plain words when off", () => {
    const on = colorsFor({ isTTY: true }, {});
    const off = colorsFor({ isTTY: false }, {});
    expect(stateColor(on, "running")("running")).toBe(on.green("running"));
    expect(stateColor(on, "exited")("exited")).toBe(on.red("exited"));
    expect(stateColor(on, "created")("created")).toContain(ESC);
    expect(checkMark(on, "fail")).toContain(ESC);
    expect(checkMark(off, "warn")).toBe("WARN");
    expect(stateColor(off, "running")("running")).toBe("running");
  });
});

describe("tables fit the width", () => {
  const long = "x".repeat(60);
  const columns = [
    { header: "NAME" },
    { header: "IMAGE", shrink: true },
    { header: "CREATED", dropOrder: 2 },
    { header: "ID", dropOrder: 1 },
  ];
  const rows = [["box", long, "2026-12-01 18:00", "0123456789ab"]];

  it("a narrow table is left as it is", () => {
    const text = renderTable(columns, [["box", "img", "2026-12-01 18:00", "0123456789ab"]], 100);
    expect(text.split("\n")[0]).toBe("NAME  IMAGE  CREATED           ID");
  });

  it("drops the columns that go first until it fits, then shortens the one that may shrink", () => {
    const fit = renderTable(columns, rows, 80);
    expect(fit.split("\n").every((l) => l.length <= 80)).toBe(true);
    // CREATED goes first (the higher dropOrder); then the table fits with ID.
    expect(fit).not.toContain("CREATED");
    expect(fit).toContain(" ID");
    expect(fit).not.toContain("…");
    const narrow = renderTable(columns, rows, 40);
    expect(narrow.split("\n").every((l) => l.length <= 40)).toBe(true);
    expect(narrow).not.toContain("CREATED");
    expect(narrow).not.toContain(" ID");
    expect(narrow).toContain("…");
  });

  it("colour is put on the text after padding, so columns line up either way", () => {
    const on = colorsFor({ isTTY: true }, {});
    const styled = [
      { header: "NAME" },
      { header: "STATE", style: (cell: string) => on.green(cell) },
      { header: "X" },
    ];
    const text = renderTable(
      styled,
      [
        ["a", "running", "1"],
        ["bb", "up", "2"],
      ],
      100,
    );
    // eslint-disable-next-line no-control-regex -- stripping the colour codes
    const plain = text.replace(/\u001b\[[0-9;]*m/g, "");
    expect(plain).toBe(["NAME  STATE    X", "a     running  1", "bb    up       2"].join("\n"));
    expect(text).toContain(ESC);
  });
});
