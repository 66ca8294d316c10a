/**
 * Names in the order people expect (case aside, then by character), without the ICU collator
 * that `localeCompare` sets up on first use: 10-15 ms of every `ls`, for names that are ASCII
 * anyway (container, volume and context names).
 */
export function byName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
