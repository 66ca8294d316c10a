/**
 * Where the managed block sits in ~/.ssh/config, also when a user's edit damaged it: a marker
 * line deleted, or the block copied twice. Each region is the block's lines, markers included;
 * everything else in the file is the user's and is kept as it is.
 */

export interface BlockMarkers {
  begin: string;
  end: string;
  /** The block's closing lines before the end marker (a comment, then `Host *`). */
  tail: readonly string[];
  /** Whether a `Host` line is one of the block's entries (`Host <name>.modelbox`). */
  isEntryHost: (line: string) => boolean;
}

/** First and last line index of a region, both included. */
export type Region = [number, number];

const HOST_OR_MATCH = /^(host|match)\s/i;

/** An option line that may belong to the entry above it (not a Host/Match line, not a comment). */
const isOptionLine = (t: string) => t !== "" && !t.startsWith("#") && !HOST_OR_MATCH.test(t);

/** A begin marker without its end: the block runs as far as its entries and tail lines go. */
function forwardEnd(lines: string[], begin: number, m: BlockMarkers): number {
  let last = begin;
  let inEntry = false;
  let afterTailComment = false;
  for (let k = begin + 1; k < lines.length; k++) {
    const t = (lines[k] ?? "").trim();
    if (t === m.begin) break;
    if (m.isEntryHost(t)) {
      inEntry = true;
      last = k;
    } else if (t === m.tail[0]) {
      inEntry = false;
      afterTailComment = true;
      last = k;
    } else if (t === m.tail[1] && afterTailComment) {
      return k;
    } else if (t === "") {
      continue;
    } else if (inEntry && isOptionLine(t)) {
      last = k;
    } else {
      break;
    }
  }
  return last;
}

/** An end marker without its begin: the block reaches back over its tail and its entries. */
function backwardStart(lines: string[], end: number, floor: number, m: BlockMarkers): number {
  let start = end;
  for (let k = end - 1; k >= floor; k--) {
    const t = (lines[k] ?? "").trim();
    if (t === m.begin || t === m.end) break;
    if (m.isEntryHost(t) || m.tail.includes(t)) start = k;
    else if (t !== "" && !isOptionLine(t)) break;
  }
  return start;
}

/** Every managed region in the file, in order, without overlaps. */
export function blockRegions(lines: string[], m: BlockMarkers): Region[] {
  const regions: Region[] = [];
  let floor = 0;
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? "").trim();
    if (t === m.begin) {
      const next = lines.findIndex((l, k) => k > i && [m.begin, m.end].includes(l.trim()));
      const end = next >= 0 && lines[next]?.trim() === m.end ? next : forwardEnd(lines, i, m);
      regions.push([i, end]);
      i = end;
      floor = end + 1;
    } else if (t === m.end) {
      regions.push([backwardStart(lines, i, floor, m), i]);
      floor = i + 1;
    }
  }
  return regions;
}
