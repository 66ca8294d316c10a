import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTags } from "../../../src/registry/list-tags.js";
import { RegistryHttp } from "../../../src/registry/registry-http.js";
import { ModelboxDevError } from "../../../src/errors.js";
import { loadRecording } from "./replay.js";

/**
 * The recorded Docker Hub exchanges served over real HTTP on 127.0.0.1 (realm rewritten to this
 * server), so Node's own fetch, headers and pagination run as they would against the Hub.
 */
const recording = loadRecording("dockerhub-tags-token-flow.json");
const PATH = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
let server: Server;
let base = "";
const seen: Array<{ url: string; authorization?: string }> = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push({
    url: req.url ?? "",
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  const [challenge, token, page1, page2] = recording.exchanges;
  if (!challenge || !token || !page1 || !page2) throw new Error("incomplete recording");
  const url = new URL(req.url ?? "/", base);
  if (url.pathname === "/token") {
    const ok =
      url.searchParams.get("service") === "registry.docker.io" &&
      url.searchParams.get("scope") === `repository:${PATH}:pull` &&
      req.headers.authorization === `Basic ${Buffer.from("bob:pw-local-1").toString("base64")}`;
    res.writeHead(ok ? 200 : 401, token.response.headers).end(ok ? token.response.body : "{}");
    return;
  }
  const bearer = page1.request.headers?.authorization;
  if (req.headers.authorization !== bearer) {
    const header = challenge.response.headers["www-authenticate"]?.replace(
      "https://auth.docker.io/token",
      `${base}/token`,
    );
    res
      .writeHead(401, { ...challenge.response.headers, "www-authenticate": header ?? "" })
      .end(challenge.response.body);
    return;
  }
  const second = url.searchParams.get("last") !== null;
  const exchange = second ? page2 : page1;
  res.writeHead(200, exchange.response.headers).end(exchange.response.body);
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("registry client over real HTTP (127.0.0.1)", () => {
  it("runs the Bearer flow with Basic credentials on the token request, and follows Link", async () => {
    const http = new RegistryHttp(base, "127.0.0.1/modelbox", {
      credentials: { serverAddress: "127.0.0.1", username: "bob", password: "pw-local-1" },
    });
    expect(await listTags(http, PATH)).toEqual(["latest", "v1.0.0", "v1.5.2", "v1.10.0", "v1.6.0"]);
    expect(seen.map((s) => new URL(s.url, base).pathname)).toEqual([
      `/v2/${PATH}/tags/list`,
      "/token",
      `/v2/${PATH}/tags/list`,
      `/v2/${PATH}/tags/list`,
    ]);
  });

  it("a registry that is down is REGISTRY_UNREACHABLE, with a hint to use a mirror", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await listTags(
      new RegistryHttp(`http://127.0.0.1:${port}`, `127.0.0.1:${port}/modelbox`),
      PATH,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelboxDevError);
    expect((err as ModelboxDevError).code).toBe("REGISTRY_UNREACHABLE");
    expect((err as ModelboxDevError).message).toContain("connection refused");
    expect((err as ModelboxDevError).hint).toContain("--registry");
  });

  it("a registry that does not answer in time is REGISTRY_UNREACHABLE too", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const err = await listTags(
        new RegistryHttp(`http://127.0.0.1:${port}`, `127.0.0.1:${port}/modelbox`, {
          timeoutMs: 300,
        }),
        PATH,
      ).catch((e: unknown) => e);
      expect((err as ModelboxDevError).code).toBe("REGISTRY_UNREACHABLE");
      expect((err as ModelboxDevError).message).toContain("did not answer in time");
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("a repository the registry does not have is IMAGE_NOT_FOUND", async () => {
    const missing = createServer((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" }).end(
        JSON.stringify({
          errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }],
        }),
      );
    });
    await new Promise<void>((resolve) => missing.listen(0, "127.0.0.1", resolve));
    const port = (missing.address() as AddressInfo).port;
    try {
      const err = await listTags(
        new RegistryHttp(`http://127.0.0.1:${port}`, "r/modelbox"),
        PATH,
      ).catch((e: unknown) => e);
      expect((err as ModelboxDevError).code).toBe("IMAGE_NOT_FOUND");
    } finally {
      await new Promise((resolve) => missing.close(resolve));
    }
  });
});
