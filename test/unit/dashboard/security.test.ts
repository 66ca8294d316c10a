import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { DashboardOperations } from "../../../src/dashboard/operations.js";
import { type DashboardServer, startDashboardServer } from "../../../src/dashboard/server.js";
import { ModelboxDevError } from "../../../src/errors.js";

const TOKEN = "test-token-0123456789abcdef";

/** Operations that answer without an engine: these tests are about who may call them. */
function fakeOperations(calls: string[]): DashboardOperations {
  // No changes ever: the stream ends when the page goes.
  const never = (signal: AbortSignal) => ({
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise((resolve) =>
          signal.addEventListener("abort", () => resolve({ done: true, value: undefined })),
        ),
    }),
  });
  return {
    version: () => "0.0.0-test",
    upgrade: undefined,
    ls: () => Promise.resolve({ environments: [{ name: "dev1", state: "running" }] }),
    stop: (name: string) => {
      calls.push(`stop ${name}`);
      return Promise.resolve({ name, state: "exited" });
    },
    status: (name: string) =>
      Promise.reject(
        new ModelboxDevError(
          "NOT_MANAGED",
          `Container "${name}" was not created by modelbox-dev.`,
          "Manage it with docker.",
        ),
      ),
    watch: never,
  } as unknown as DashboardOperations;
}

describe("the dashboard admits only its token holder's own page", () => {
  let server: DashboardServer;
  let base = "";
  let cookie = "";
  const calls: string[] = [];

  beforeAll(async () => {
    const webRoot = mkdtempSync(join(tmpdir(), "mbdev-web-"));
    writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>dashboard</title>");
    server = await startDashboardServer({
      operations: fakeOperations(calls),
      token: TOKEN,
      host: "127.0.0.1",
      port: 0,
      webRoot,
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
  });

  it("refuses a request without the token with 401 and says what to do", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(401);
    const api = await fetch(`${base}/api/environments`);
    expect(api.status).toBe(401);
    const body = (await api.json()) as { error: { code: string; hint: string } };
    expect(body.error.code).toBe("UNAUTHORIZED");
    expect(body.error.hint).toContain("?token=");
    expect((await fetch(`${base}/api/environments?token=wrong`)).status).toBe(401);
    expect(
      (await fetch(`${base}/api/environments`, { headers: { authorization: "Bearer nope" } }))
        .status,
    ).toBe(401);
  });

  it("trades the token in the URL for an HttpOnly SameSite=Strict cookie and drops it from the address", async () => {
    const first = await fetch(`${base}/?token=${TOKEN}`, { redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/");
    const setCookie = first.headers.get("set-cookie") ?? "";
    expect(setCookie).toContain(`modelbox-dev-dashboard-${server.port}=${TOKEN}`);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    cookie = setCookie.split(";")[0] ?? "";
    const page = await fetch(`${base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>dashboard</title>");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("reads with the cookie; changes state only from its own origin", async () => {
    const list = await fetch(`${base}/api/environments`, { headers: { cookie } });
    expect(await list.json()).toEqual({ environments: [{ name: "dev1", state: "running" }] });

    const stop = (headers: Record<string, string>) =>
      fetch(`${base}/api/environments/dev1/stop`, {
        method: "POST",
        headers: { cookie, ...headers },
      });
    expect((await stop({ origin: "http://evil.example" })).status).toBe(403);
    expect((await stop({})).status).toBe(403);
    expect(calls).toEqual([]);
    const own = await stop({ origin: base });
    expect(own.status).toBe(200);
    expect(calls).toEqual(["stop dev1"]);
    // A script with the token as a bearer credential is no browser: no Origin needed.
    const scripted = await fetch(`${base}/api/environments/dev2/stop`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(scripted.status).toBe(200);
  });

  it("reports library errors with the CLI's code, message and hint", async () => {
    const r = await fetch(`${base}/api/environments/other`, { headers: { cookie } });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({
      ok: false,
      error: {
        code: "NOT_MANAGED",
        message: 'Container "other" was not created by modelbox-dev.',
        hint: "Manage it with docker.",
      },
    });
  });

  it("refuses a WebSocket from another origin, and one without the token", async () => {
    const refused = (url: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url, { headers });
        ws.on("unexpected-response", (req, res) => {
          req.destroy();
          resolve(res.statusCode ?? 0);
        });
        ws.on("open", () => reject(new Error("the WebSocket was accepted")));
        ws.on("error", () => undefined);
      });
    const url = `ws://127.0.0.1:${server.port}/ws/environments`;
    expect(await refused(url, { cookie, origin: "http://evil.example" })).toBe(403);
    expect(await refused(url, { origin: base })).toBe(401);
  });

  it("streams the environment list to its own page", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws/environments`, {
      headers: { cookie, origin: base },
    });
    const message = await new Promise<string>((resolve, reject) => {
      ws.on("message", (data: Buffer) => resolve(data.toString()));
      ws.on("error", reject);
    });
    ws.close();
    expect(JSON.parse(message)).toEqual({
      type: "environments",
      environments: [{ name: "dev1", state: "running" }],
    });
  });
});
