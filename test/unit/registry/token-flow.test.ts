import { describe, expect, it } from "vitest";
import { manifestDigest } from "../../../src/registry/manifest-digest.js";
import { listTags, nextLink, sortTags } from "../../../src/registry/list-tags.js";
import { RegistryHttp } from "../../../src/registry/registry-http.js";
import { ModelboxDevError } from "../../../src/errors.js";
import { loadRecording, replayFetch } from "./replay.js";

const PATH = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const HUB = "https://registry-1.docker.io";

describe("Docker Hub token flow (recorded responses in the documented shape)", () => {
  it("lists tags: 401 Bearer challenge → anonymous token → retry with Bearer → next page by Link", async () => {
    const { fetch, seen } = replayFetch(loadRecording("dockerhub-tags-token-flow.json"));
    const http = new RegistryHttp(HUB, "docker.io/modelbox", { fetch });
    const tags = await listTags(http, PATH);
    expect(tags).toEqual(["latest", "v1.0.0", "v1.5.2", "v1.10.0", "v1.6.0"]);
    expect(sortTags(tags)).toEqual(["latest", "v1.10.0", "v1.6.0", "v1.5.2", "v1.0.0"]);
    expect(seen).toHaveLength(4);
    // No credentials: the token request carries none, and the first request no Authorization.
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[1]?.headers.authorization).toBeUndefined();
  });

  it("reuses the token for the same scope (one token request for two pages)", async () => {
    const { fetch, seen } = replayFetch(loadRecording("dockerhub-tags-token-flow.json"));
    await listTags(new RegistryHttp(HUB, "docker.io/modelbox", { fetch }), PATH);
    expect(seen.filter((r) => r.url.startsWith("https://auth.docker.io/"))).toHaveLength(1);
  });

  it("sends the user's credentials as Basic auth to the token endpoint only", async () => {
    const { fetch, seen } = replayFetch(loadRecording("dockerhub-tags-token-flow.json"));
    const credentials = {
      serverAddress: "https://index.docker.io/v1/",
      username: "alice",
      password: "hunter2-secret",
    };
    await listTags(new RegistryHttp(HUB, "docker.io/modelbox", { fetch, credentials }), PATH);
    const basic = `Basic ${Buffer.from("alice:hunter2-secret").toString("base64")}`;
    expect(seen[1]?.headers.authorization).toBe(basic);
    // The registry itself only ever sees the token.
    for (const r of seen.filter((x) => x.url.startsWith(HUB))) {
      expect(r.headers.authorization ?? "").not.toContain("Basic");
    }
  });

  it("exchanges an identity token (docker login's refresh token) with an OAuth2 POST", async () => {
    const recording = loadRecording("dockerhub-tags-token-flow.json");
    const token = recording.exchanges[1];
    if (!token) throw new Error("recording has no token exchange");
    token.request = { method: "POST", url: "https://auth.docker.io/token" };
    const { fetch, seen } = replayFetch(recording);
    const credentials = { serverAddress: "https://index.docker.io/v1/", identityToken: "rt-123" };
    await listTags(new RegistryHttp(HUB, "docker.io/modelbox", { fetch, credentials }), PATH);
    const form = new URLSearchParams(seen[1]?.body ?? "");
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: "rt-123",
      service: "registry.docker.io",
      scope: `repository:${PATH}:pull`,
    });
  });

  it("a refused password is REGISTRY_AUTH, and the password appears nowhere in the error", async () => {
    const { fetch } = replayFetch(loadRecording("dockerhub-token-refused.json"));
    const credentials = {
      serverAddress: "https://index.docker.io/v1/",
      username: "alice",
      password: "wrong-secret-42",
    };
    const err = await listTags(
      new RegistryHttp(HUB, "docker.io/modelbox", { fetch, credentials }),
      PATH,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelboxDevError);
    const e = err as ModelboxDevError;
    expect(e.code).toBe("REGISTRY_AUTH");
    expect(e.hint).toContain("docker login docker.io");
    const everything = JSON.stringify({ m: e.message, h: e.hint, d: e.details });
    expect(everything).not.toContain("wrong-secret-42");
    expect(everything).not.toContain(Buffer.from("alice:wrong-secret-42").toString("base64"));
  });

  it("reads a tag's manifest digest with HEAD through the same flow", async () => {
    const { fetch, seen } = replayFetch(loadRecording("dockerhub-manifest-head.json"));
    const digest = await manifestDigest(
      new RegistryHttp(HUB, "docker.io/modelbox", { fetch }),
      PATH,
      "latest",
    );
    expect(digest).toBe("sha256:5c6a3e1b9e0e7f0f3b0b7e2d6f4a9c1d2e3f405162738495a6b7c8d9e0f1a2b3");
    // The engine's manifest types are accepted, so the digest is the one the engine records.
    expect(seen[0]?.headers.accept).toContain(
      "application/vnd.docker.distribution.manifest.v2+json",
    );
    expect(seen[0]?.headers.accept).toContain("application/vnd.oci.image.index.v1+json");
  });
});

describe("nextLink", () => {
  it("finds rel=next among several links, and nothing without one", () => {
    expect(nextLink('</v2/a/tags/list?last=x&n=2>; rel="next"')).toBe("/v2/a/tags/list?last=x&n=2");
    expect(nextLink('<https://h/v2/p?x=1>; rel="prev", <https://h/v2/n?last=b>; rel=next')).toBe(
      "https://h/v2/n?last=b",
    );
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('</v2/a>; rel="prev"')).toBeUndefined();
  });
});
