import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { FetchLike } from "../../../src/registry/registry-http.js";

export interface Exchange {
  request: { method: string; url: string; headers?: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body: string };
}

export interface Recording {
  source: string;
  exchanges: Exchange[];
}

export function loadRecording(name: string): Recording {
  const url = new URL(`../../fixtures/registry/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Recording;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A fetch that plays a recording back in order and fails the test on any request the recording
 * does not expect (method, URL, and the listed headers).
 */
export function replayFetch(recording: Recording): { fetch: FetchLike; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  let next = 0;
  const fetch: FetchLike = (url, init) => {
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    );
    const method = init?.method ?? "GET";
    seen.push({
      method,
      url,
      headers,
      ...(typeof init?.body === "string" ? { body: init.body } : {}),
    });
    const exchange = recording.exchanges[next++];
    if (!exchange) throw new Error(`unexpected request ${method} ${url}`);
    expect({ method, url }).toEqual({
      method: exchange.request.method,
      url: exchange.request.url,
    });
    for (const [name, value] of Object.entries(exchange.request.headers ?? {})) {
      expect(headers[name], `header ${name} of ${method} ${url}`).toBe(value);
    }
    const { status, headers: responseHeaders, body } = exchange.response;
    const nullBody = method === "HEAD" || status === 204;
    return Promise.resolve(
      new Response(nullBody ? null : body, { status, headers: responseHeaders }),
    );
  };
  return { fetch, seen };
}
