/** Tables that fit the terminal (100 columns when piped): columns dropped, then one shortened. */

export interface Column {
  header: string;
  /** Dropped first when the table is too wide: higher drops earlier; absent: never dropped. */
  dropOrder?: number;
  /** Shortened with "…" when dropping is not enough (one column should say so). */
  shrink?: boolean;
  /** Colour for a cell, applied after padding so widths stay right. */
  style?: (cell: string, row: number) => string;
}

const GAP = 2;
export const DEFAULT_WIDTH = 100;

/** The width to fit: the terminal's, or 100 when stdout is not one. */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout) {
  return stream.isTTY && stream.columns ? stream.columns : DEFAULT_WIDTH;
}

function widthsOf(columns: Column[], rows: string[][], keep: number[]): number[] {
  return keep.map((i) =>
    Math.max(columns[i]?.header.length ?? 0, ...rows.map((r) => (r[i] ?? "").length)),
  );
}

function total(widths: number[]): number {
  return widths.reduce((a, b) => a + b, 0) + GAP * Math.max(widths.length - 1, 0);
}

function shorten(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 1))}…`;
}

/** The columns to keep: drop by dropOrder until the table fits `width` (or none is droppable). */
function columnsToKeep(columns: Column[], rows: string[][], width: number): number[] {
  let keep = columns.map((_, i) => i);
  const droppable = keep
    .filter((i) => columns[i]?.dropOrder !== undefined)
    .sort((a, b) => (columns[b]?.dropOrder ?? 0) - (columns[a]?.dropOrder ?? 0));
  for (const drop of droppable) {
    if (total(widthsOf(columns, rows, keep)) <= width) break;
    keep = keep.filter((i) => i !== drop);
  }
  return keep;
}

/** Left-aligned columns, two spaces apart, fitted to `width`. */
export function renderTable(columns: Column[], rows: string[][], width = DEFAULT_WIDTH): string {
  const keep = columnsToKeep(columns, rows, width);
  const widths = widthsOf(columns, rows, keep);
  const over = total(widths) - width;
  const shrinkAt = keep.findIndex((i) => columns[i]?.shrink);
  if (over > 0 && shrinkAt >= 0) {
    const header = columns[keep[shrinkAt] ?? 0]?.header.length ?? 0;
    widths[shrinkAt] = Math.max((widths[shrinkAt] ?? 0) - over, header, 8);
  }
  const line = (cells: string[], row: number) =>
    keep
      .map((i, k) => {
        const w = widths[k] ?? 0;
        const text = shorten(cells[i] ?? "", w);
        const padded = k === keep.length - 1 ? text : text.padEnd(w);
        const style = row >= 0 ? columns[i]?.style : undefined;
        // Colour the text only: padding stays plain, so columns line up.
        return style ? padded.replace(text, style(text, row)) : padded;
      })
      .join(" ".repeat(GAP))
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      -1,
    ),
    ...rows.map((r, n) => line(r, n)),
  ].join("\n");
}
