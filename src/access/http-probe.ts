import { request } from "node:http";

export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * One GET; resolves with the answer, or undefined when no HTTP answer came (refused, reset,
 * silent). The engine's port proxy accepts connections even when nothing listens inside, so
 * only an HTTP status line counts as an answer.
 */
export function httpGet(
  host: string,
  port: number,
  path: string,
  timeoutMs = 2_000,
): Promise<HttpAnswer | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: "GET", timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => {
        if (chunks.length < 64) chunks.push(c);
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", () => resolve(undefined));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

/** Literal IPv6 addresses need brackets in a URL. */
export function urlHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
