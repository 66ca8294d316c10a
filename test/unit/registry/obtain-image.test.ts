import { describe, expect, it } from "vitest";
import { parseRegistrySpec } from "../../../src/registry/registry-spec.js";
import {
  EngineCallError,
  type ContainerEngine,
  type ImageDetails,
  type PullOptions,
  type PullProgressEvent,
} from "../../../src/engine/types.js";
import { type PullAttempt, obtainImage } from "../../../src/registry/obtain-image.js";
import type { ModelboxDevError } from "../../../src/errors.js";

const NAME = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const IMAGE = `modelbox/${NAME}:v1.5.2`;
const DIGEST = `sha256:${"c".repeat(64)}`;

/** An engine whose registries are a table: reference → the daemon's error message, or "ok". */
function fakeEngine(outcomes: Record<string, string>) {
  const images = new Map<string, ImageDetails>();
  const calls: Array<{ ref: string; options: PullOptions | undefined }> = [];
  const tags: Array<[string, string]> = [];
  const engine = {
    inspectImage: (ref: string) => Promise.resolve(images.get(ref)),
    pullImage: (
      ref: string,
      onProgress?: (e: PullProgressEvent) => void,
      options?: PullOptions,
    ) => {
      calls.push({ ref, options });
      const outcome = outcomes[ref] ?? "manifest unknown";
      if (outcome !== "ok") return Promise.reject(new EngineCallError(outcome));
      if (options?.signal?.aborted) return Promise.reject(new EngineCallError("cancelled"));
      onProgress?.({ status: `Digest: ${DIGEST}` });
      const repo = ref.slice(0, ref.lastIndexOf(":"));
      images.set(ref, {
        id: "sha256:img",
        repoTags: [ref],
        repoDigests: ["other.example.com/x@sha256:old", `${repo}@${DIGEST}`],
        labels: {},
        env: {},
      });
      return Promise.resolve();
    },
    tagImage: (source: string, target: string) => {
      tags.push([source, target]);
      const found = images.get(source);
      if (found) images.set(target, found);
      return Promise.resolve();
    },
  } as unknown as ContainerEngine;
  return { engine, calls, tags, images };
}

const registries = ["127.0.0.1:5001/modelbox", "127.0.0.1:5002/modelbox", "docker.io/modelbox"].map(
  parseRegistrySpec,
);

describe("obtainImage: registries and mirrors", () => {
  it("falls back to the next registry, tags the mirror's copy, and puts its digest first", async () => {
    const { engine, calls, tags } = fakeEngine({
      [`127.0.0.1:5001/modelbox/${NAME}:v1.5.2`]:
        'Get "http://127.0.0.1:5001/v2/": dial tcp 127.0.0.1:5001: connect: connection refused',
      [`127.0.0.1:5002/modelbox/${NAME}:v1.5.2`]: "ok",
    });
    const attempts: PullAttempt[] = [];
    const image = await obtainImage(engine, IMAGE, {
      policy: "missing",
      registries,
      onAttempt: (a) => attempts.push(a),
    });
    expect(calls.map((c) => c.ref)).toEqual([
      `127.0.0.1:5001/modelbox/${NAME}:v1.5.2`,
      `127.0.0.1:5002/modelbox/${NAME}:v1.5.2`,
    ]);
    expect(tags).toEqual([[`127.0.0.1:5002/modelbox/${NAME}:v1.5.2`, IMAGE]]);
    expect(image.repoDigests[0]).toBe(`127.0.0.1:5002/modelbox/${NAME}@${DIGEST}`);
    expect(image.source).toEqual({
      registry: "127.0.0.1:5002/modelbox",
      reference: `127.0.0.1:5002/modelbox/${NAME}:v1.5.2`,
      repoDigest: `127.0.0.1:5002/modelbox/${NAME}@${DIGEST}`,
    });
    expect(attempts.map((a) => `${a.kind} ${a.registry}`)).toEqual([
      "trying 127.0.0.1:5001/modelbox",
      "failed 127.0.0.1:5001/modelbox",
      "trying 127.0.0.1:5002/modelbox",
    ]);
  });

  it("hands the engine the user's credentials for each registry's host", async () => {
    const { engine, calls } = fakeEngine({ [IMAGE]: "ok" });
    await obtainImage(engine, IMAGE, {
      policy: "always",
      credentials: (host) =>
        Promise.resolve(
          host === "docker.io"
            ? { serverAddress: "https://index.docker.io/v1/", username: "u", password: "p" }
            : undefined,
        ),
    });
    expect(calls[0]?.options?.auth).toEqual({
      serverAddress: "https://index.docker.io/v1/",
      username: "u",
      password: "p",
    });
  });

  it("disk full stops at once; other failures are gathered into one error", async () => {
    const full = fakeEngine({
      [`127.0.0.1:5001/modelbox/${NAME}:v1.5.2`]:
        "write /var/lib/docker/tmp/x: no space left on device",
    });
    const e1 = (await obtainImage(full.engine, IMAGE, { policy: "missing", registries }).catch(
      (e: unknown) => e,
    )) as ModelboxDevError;
    expect(e1.code).toBe("DISK_FULL");
    expect(full.calls).toHaveLength(1);

    const missing = fakeEngine({});
    const e2 = (await obtainImage(missing.engine, IMAGE, { policy: "missing", registries }).catch(
      (e: unknown) => e,
    )) as ModelboxDevError;
    expect(e2.code).toBe("IMAGE_NOT_FOUND");
    expect(e2.details).toHaveLength(3);
    expect(missing.calls).toHaveLength(3);
  });

  it("--pull never refuses, and a present image is not pulled", async () => {
    const { engine, calls, images } = fakeEngine({});
    const never = (await obtainImage(engine, IMAGE, { policy: "never" }).catch(
      (e: unknown) => e,
    )) as ModelboxDevError;
    expect(never.code).toBe("IMAGE_NOT_FOUND");
    images.set(IMAGE, {
      id: "sha256:here",
      repoTags: [IMAGE],
      repoDigests: [],
      labels: {},
      env: {},
    });
    expect((await obtainImage(engine, IMAGE, { policy: "missing", registries })).id).toBe(
      "sha256:here",
    );
    expect(calls).toHaveLength(0);
  });

  it("an aborted pull is INTERRUPTED, and nothing is tagged", async () => {
    const { engine, tags } = fakeEngine({ [`127.0.0.1:5001/modelbox/${NAME}:v1.5.2`]: "ok" });
    const controller = new AbortController();
    controller.abort();
    const err = (await obtainImage(engine, IMAGE, {
      policy: "missing",
      registries,
      signal: controller.signal,
    }).catch((e: unknown) => e)) as ModelboxDevError;
    expect(err.code).toBe("INTERRUPTED");
    expect(tags).toEqual([]);
  });
});
