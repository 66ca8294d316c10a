/**
 * Names in the order people expect: case aside, and runs of digits by their value, so that
 * `box2` comes before `box10` and `1.9` before `1.10` (as `ls -v` sorts); then by character.
 * Without the ICU collator that `localeCompare` sets up on first use (10-15 ms of every `ls`),
 * for names that are ASCII anyway (container, volume, context and image names).
 */
export function byName(a: string, b: string): number {
  const x = a.toLowerCase().match(RUNS) ?? [];
  const y = b.toLowerCase().match(RUNS) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const order = compareRuns(x[i]!, y[i]!);
    if (order !== 0) return order;
  }
  if (x.length !== y.length) return x.length - y.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Runs of digits and runs of anything else. */
const RUNS = /\d+|\D+/g;

function compareRuns(p: string, q: string): number {
  const digits = /^\d/;
  if (digits.test(p) && digits.test(q)) {
    // By value, however long: without leading zeros, the longer is the larger.
    const m = p.replace(/^0+(?=\d)/, "");
    const n = q.replace(/^0+(?=\d)/, "");
    if (m.length !== n.length) return m.length - n.length;
    if (m !== n) return m < n ? -1 : 1;
    return p.length - q.length; // "01" after "1"
  }
  return p === q ? 0 : p < q ? -1 : 1;
}
