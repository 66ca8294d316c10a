import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTags } from "../../../src/registry/list-tags.js";
import { RegistryHttp } from "../../../src/registry/registry-http.js";
import { ModelboxDevError } from "../../../src/errors.js";
import { loadRecording } from "./replay.js";
import { makePrivateCa, startTlsFront } from "../../support/private-ca.js";

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

  it("TLS that fails says why and what to do: plain HTTP, or a certificate of a CA not trusted here", async () => {
    const plain = createServer((_req, res) => res.end("{}"));
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const plainPort = (plain.address() as AddressInfo).port;
    const ca = await makePrivateCa();
    const front = await startTlsFront(ca, plainPort);
    const failure = async (host: string) => {
      const err = await listTags(
        new RegistryHttp(`https://${host}`, `https://${host}/modelbox`),
        PATH,
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelboxDevError);
      return err as ModelboxDevError;
    };
    try {
      const notTls = await failure(`127.0.0.1:${plainPort}`);
      expect(notTls.message).toBe(
        `Cannot reach the registry https://127.0.0.1:${plainPort}/modelbox (it does not answer TLS: ERR_SSL_WRONG_VERSION_NUMBER).`,
      );
      expect(notTls.hint).toBe(
        `If it serves plain HTTP, write it as http://127.0.0.1:${plainPort}/modelbox.`,
      );
      const untrusted = await failure(`127.0.0.1:${front.port}`);
      expect(untrusted.message).toContain(
        "(its certificate is not trusted here: UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
      );
      expect(untrusted.hint).toContain("set NODE_EXTRA_CA_CERTS to that CA's certificate");
      expect(untrusted.hint).toContain(`/etc/docker/certs.d/127.0.0.1:${front.port}/ca.crt`);
    } finally {
      await front.stop();
      await ca.remove();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it("an answer that is not the registry API's JSON is REGISTRY_ERROR, not a crash", async () => {
    const page = createServer((_req, res) => res.end("<html>a web page</html>"));
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    const port = (page.address() as AddressInfo).port;
    try {
      const err = await listTags(
        new RegistryHttp(`http://127.0.0.1:${port}`, `127.0.0.1:${port}/modelbox`),
        PATH,
      ).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: "REGISTRY_ERROR",
        message: `127.0.0.1:${port}/modelbox did not answer the tag list as a registry does (Registry HTTP API v2 JSON).`,
      });
    } finally {
      await new Promise((resolve) => page.close(resolve));
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
