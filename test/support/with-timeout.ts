/**
 * `promise`, or a rejection naming `what` once `ms` pass without an answer; `detail` (read only
 * then) adds what the awaited work had said so far.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  detail?: () => string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const said = detail?.() ?? "";
      reject(new Error(`${what} did not answer within ${ms} ms${said ? `\n${said}` : ""}`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
