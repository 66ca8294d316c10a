/**
 * Engine answers asked for as the command line starts, before the command's code has loaded:
 * the engine answers (`ls`'s container list, cli/early-requests.ts) while Node loads the command,
 * and DockerEngine takes the answer instead of asking again (once: a second call asks afresh).
 *
 * Only GETs that change nothing, only on a local socket (the engine the command will use is
 * chosen the same way, so the answer's key matches; if it does not, the answer is not used), and
 * an answer older than MAX_AGE_MS when it is taken is not used either: a command that first
 * waited on something else asks again. Any failure (no socket, an error status, a timeout) makes
 * the answer "none", and the command asks as it always did, getting its usual error.
 */
import { type IncomingHttpHeaders, request } from "node:http";

export interface EarlyAnswer {
  /** 200, or 404 where the taker asked for "not found" too. */
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer taken later than this after it came is not used: the command waited on something. */
export const MAX_AGE_MS = 500;
const TIMEOUT_MS = 5_000;

interface Asked {
  answer: Promise<EarlyAnswer | undefined>;
  /** The request is on its way to the engine (written to the socket), or failed. */
  written: Promise<void>;
  arrivedAt?: number;
}

const asked = new Map<string, Asked>();
const keyOf = (socketPath: string, path: string) => `${socketPath} ${path}`;

/**
 * Begins a GET of `path` on the engine at `socketPath`; its answer waits for takeEarlyAnswer.
 * Resolves once the answer (or its failure) has come; it never rejects.
 */
export async function askEarly(socketPath: string, path: string): Promise<void> {
  const key = keyOf(socketPath, path);
  const already = asked.get(key);
  if (already) return void (await already.answer);
  let markWritten = () => {};
  const entry: Asked = {
    written: new Promise((resolve) => (markWritten = resolve)),
    answer: new Promise((resolve) => {
      // No TLS server name to work out (docker-options.ts, localSocketAgent, says why).
      const options = { socketPath, path, method: "GET", timeout: TIMEOUT_MS, servername: "" };
      const req = request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", () => resolve(undefined));
        res.on("end", () => {
          entry.arrivedAt = Date.now();
          const status = res.statusCode ?? 0;
          resolve(
            status === 200 || status === 404
              ? { status, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }
              : undefined,
          );
        });
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => {
        markWritten();
        resolve(undefined);
      });
      req.on("finish", () => markWritten());
      req.end();
    }),
  };
  asked.set(key, entry);
  await entry.answer;
}

/** Whether `path` on `socketPath` was asked for and not yet taken. */
export function askedEarly(socketPath: string, path: string): boolean {
  return asked.has(keyOf(socketPath, path));
}

/** Longest wait for the requests to be written: a socket slow to accept is asked in vain. */
const WRITE_WAIT_MS = 50;

/**
 * Resolves once every request asked for is written to the engine's socket (or failed). The
 * socket connects, and the request goes out, on a later turn of the event loop: a command line
 * that then loads its code at once (~70 ms, without a turn) would send it only afterwards.
 */
export async function earlyRequestsWritten(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, WRITE_WAIT_MS);
  });
  await Promise.race([Promise.all([...asked.values()].map((e) => e.written)), late]);
  clearTimeout(timer);
}

/**
 * The early answer to `path` on `socketPath`, if one was asked for and is still fresh (once):
 * undefined means "ask the engine".
 */
export async function takeEarlyAnswer(
  socketPath: string | undefined,
  path: string,
  options: { notFound?: boolean } = {},
): Promise<EarlyAnswer | undefined> {
  if (socketPath === undefined) return undefined;
  const key = keyOf(socketPath, path);
  const entry = asked.get(key);
  if (!entry) return undefined;
  asked.delete(key);
  const answer = await entry.answer;
  const age = entry.arrivedAt === undefined ? Infinity : Date.now() - entry.arrivedAt;
  if (age > MAX_AGE_MS || answer === undefined) return undefined;
  return answer.status === 200 || (answer.status === 404 && options.notFound) ? answer : undefined;
}

/**
 * The path of a container list as dockerode asks for it: the early request and the engine's own
 * call name it the same way, so one's answer serves the other.
 */
export function containerListPath(options: { all: boolean; labels?: string[] }): string {
  const query = new URLSearchParams({ all: String(options.all) });
  if (options.labels?.length) query.set("filters", JSON.stringify({ label: options.labels }));
  return `/containers/json?${query.toString()}`;
}

/** Forgets every early answer (tests). */
export function forgetEarlyAnswers(): void {
  asked.clear();
}
