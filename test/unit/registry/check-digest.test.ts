import { describe, expect, it } from "vitest";
import { checkImageDigest } from "../../../src/registry/check-digest.js";
import type { FetchLike } from "../../../src/registry/registry-http.js";
import { parseRegistrySpec } from "../../../src/registry/registry-spec.js";
import { loadRecording, replayFetch } from "./replay.js";

const NAME = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const HUB_DIGEST = "sha256:5c6a3e1b9e0e7f0f3b0b7e2d6f4a9c1d2e3f405162738495a6b7c8d9e0f1a2b3";

function registryWith(digests: Record<string, string>): { fetch: FetchLike; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (url) => {
      urls.push(url);
      const digest = digests[new URL(url).pathname];
      return Promise.resolve(
        digest
          ? new Response(null, { status: 200, headers: { "docker-content-digest": digest } })
          : new Response(null, { status: 404 }),
      );
    },
  };
}

describe("outdated: is the tag still the image the environment runs? (R9)", () => {
  it("asks Docker Hub through the token flow when Docker Hub served the image", async () => {
    const { fetch } = replayFetch(loadRecording("dockerhub-manifest-head.json"));
    expect(
      await checkImageDigest(`modelbox/${NAME}:latest`, `modelbox/${NAME}@${HUB_DIGEST}`, {
        fetch,
      }),
    ).toEqual({
      status: "current",
      registry: "docker.io/modelbox",
      runningDigest: HUB_DIGEST,
      registryDigest: HUB_DIGEST,
    });
  });

  it("asks the mirror that served it, and sees a re-pushed tag", async () => {
    const { fetch, urls } = registryWith({
      [`/v2/modelbox/${NAME}/manifests/v1`]: `sha256:${"2".repeat(64)}`,
    });
    const check = await checkImageDigest(
      `modelbox/${NAME}:v1`,
      `127.0.0.1:5001/modelbox/${NAME}@sha256:${"1".repeat(64)}`,
      { fetch },
    );
    expect(check).toMatchObject({ status: "outdated", registry: "127.0.0.1:5001/modelbox" });
    expect(urls[0]).toBe(`http://127.0.0.1:5001/v2/modelbox/${NAME}/manifests/v1`);
  });

  it("uses the scheme of a configured registry (plain HTTP on a LAN mirror)", async () => {
    const { fetch, urls } = registryWith({});
    await checkImageDigest(
      `modelbox/${NAME}:v1`,
      `10.0.0.5:5000/mb/${NAME}@sha256:${"1".repeat(64)}`,
      {
        fetch,
        known: [parseRegistrySpec("http://10.0.0.5:5000/mb")],
      },
    );
    expect(urls[0]).toBe(`http://10.0.0.5:5000/v2/mb/${NAME}/manifests/v1`);
  });

  it("unknown, with the reason, when it cannot tell", async () => {
    const { fetch } = registryWith({});
    expect(await checkImageDigest(`modelbox/${NAME}:v1`, undefined, { fetch })).toMatchObject({
      status: "unknown",
      reason: expect.stringContaining("built or loaded locally") as string,
    });
    expect(
      await checkImageDigest(
        `modelbox/${NAME}:gone`,
        `127.0.0.1:5001/modelbox/${NAME}@sha256:${"1".repeat(64)}`,
        { fetch },
      ),
    ).toMatchObject({
      status: "unknown",
      reason: "127.0.0.1:5001/modelbox no longer has the tag gone",
    });
    const down: FetchLike = () =>
      Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }));
    expect(
      await checkImageDigest(
        `modelbox/${NAME}:v1`,
        `127.0.0.1:5001/modelbox/${NAME}@sha256:${"1".repeat(64)}`,
        { fetch: down },
      ),
    ).toMatchObject({
      status: "unknown",
      reason: expect.stringContaining("connection refused") as string,
    });
    expect(
      await checkImageDigest(`modelbox/${NAME}@sha256:${"1".repeat(64)}`, undefined),
    ).toMatchObject({
      status: "current",
      reason: "pinned by digest",
    });
  });
});
