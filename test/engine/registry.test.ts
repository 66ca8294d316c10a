import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkImageDigest } from "../../src/registry/check-digest.js";
import { credentialLookup, realDockerConfig } from "../../src/registry/credentials.js";
import { listTags } from "../../src/registry/list-tags.js";
import { lookupTags } from "../../src/registry/lookup-tags.js";
import { RegistryHttp } from "../../src/registry/registry-http.js";
import { parseRegistrySpec } from "../../src/registry/registry-spec.js";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import type { PullProgressEvent } from "../../src/engine/types.js";
import { type PullAttempt, obtainImage } from "../../src/registry/obtain-image.js";
import type { ModelboxDevError } from "../../src/errors.js";
import {
  FIXTURE_DEVELOP_IMAGE,
  FIXTURE_RUNTIME_IMAGE,
  describeDockerOnly,
} from "../support/engine.js";
import {
  type TestRegistry,
  deadRegistryHost,
  makeRandomImage,
  pushImage,
  removeImageName,
  removeImagesOf,
  startRegistry,
  startSlowProxy,
  uniqueTag,
} from "../support/registry.js";

const NAME = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const engine = new DockerEngine();
const user = { username: "mbdev", password: `pw-${uniqueTag("secret")}` };

let open: TestRegistry;
let locked: TestRegistry;
let dockerConfigDir = "";
const tag = uniqueTag("eng");
const bigTag = uniqueTag("big");
const canonical = (t: string) => `modelbox/${NAME}:${t}`;
const createdNames: string[] = [];

async function present(ref: string): Promise<boolean> {
  return (await engine.inspectImage(ref)) !== undefined;
}

describeDockerOnly(
  "registries, mirrors and digests against a real registry",
  "the test registries are filled by pushing through the engine and reading the digest from the push's aux event, which Podman 4.3's compatible API does not send",
  () => {
    beforeAll(async () => {
      [open, locked] = await Promise.all([startRegistry(), startRegistry({ user })]);
      await pushImage(FIXTURE_DEVELOP_IMAGE, `${open.host}/modelbox/${NAME}:${tag}`);
      await pushImage(FIXTURE_RUNTIME_IMAGE, `${locked.host}/modelbox/${NAME}:${tag}`, {
        ...user,
        serveraddress: locked.host,
      });
      // Layers no engine has yet, so a pull really downloads (10 MB of random bytes).
      const local = await makeRandomImage(`${open.host}/modelbox/${NAME}`, bigTag, 10);
      await pushImage(local, local);
      createdNames.push(canonical(tag), canonical(bigTag));
      dockerConfigDir = await mkdtemp(join(tmpdir(), "mbdev-dockercfg-"));
      const auth = Buffer.from(`${user.username}:${user.password}`).toString("base64");
      await writeFile(
        join(dockerConfigDir, "config.json"),
        JSON.stringify({ auths: { [locked.host]: { auth } } }),
      );
    });

    afterAll(async () => {
      await removeImagesOf(open.host, createdNames);
      await removeImagesOf(locked.host);
      await Promise.all([open.stop(), locked.stop()]);
      await rm(dockerConfigDir, { recursive: true, force: true });
    });

    it("pulls with per-layer progress, tags the mirror's copy with the ModelBox name, records the digest", async () => {
      const events: PullProgressEvent[] = [];
      const image = await obtainImage(engine, canonical(bigTag), {
        policy: "missing",
        registries: [parseRegistrySpec(`${open.host}/modelbox`)],
        onProgress: (e) => events.push(e),
      });
      const downloading = events.filter((e) => e.status === "Downloading");
      expect(downloading.length).toBeGreaterThan(0);
      expect(downloading.every((e) => (e.total ?? 0) > 10_000_000)).toBe(true);
      expect(events.some((e) => e.status === "Pull complete")).toBe(true);
      expect(await present(canonical(bigTag))).toBe(true);
      expect(image.repoDigests[0]).toMatch(
        new RegExp(`^${open.host}/modelbox/${NAME}@sha256:[a-f0-9]{64}$`),
      );
      expect(image.source?.registry).toBe(`${open.host}/modelbox`);
    });

    it("falls back to the second registry when the first is down", async () => {
      const dead = await deadRegistryHost();
      await removeImageName(canonical(tag));
      const attempts: PullAttempt[] = [];
      const image = await obtainImage(engine, canonical(tag), {
        policy: "always",
        registries: [
          parseRegistrySpec(`${dead}/modelbox`),
          parseRegistrySpec(`${open.host}/modelbox`),
        ],
        onAttempt: (a) => attempts.push(a),
      });
      expect(attempts.map((a) => `${a.kind} ${a.registry}`)).toEqual([
        `trying ${dead}/modelbox`,
        `failed ${dead}/modelbox`,
        `trying ${open.host}/modelbox`,
      ]);
      const failed = attempts[1];
      expect(failed?.kind === "failed" && failed.error.code).toBe("REGISTRY_UNREACHABLE");
      expect(image.id).toBe((await engine.inspectImage(FIXTURE_DEVELOP_IMAGE))?.id);
      expect(image.repoDigests[0]?.startsWith(`${open.host}/modelbox/${NAME}@sha256:`)).toBe(true);
    });

    it("a missing tag is IMAGE_NOT_FOUND; an unreachable registry is REGISTRY_UNREACHABLE", async () => {
      const missing = (await obtainImage(engine, canonical("no-such-tag"), {
        policy: "always",
        registries: [parseRegistrySpec(`${open.host}/modelbox`)],
      }).catch((e: unknown) => e)) as ModelboxDevError;
      expect(missing.code).toBe("IMAGE_NOT_FOUND");
      expect(missing.hint).toContain(`images --tags modelbox/${NAME}`);
      const dead = await deadRegistryHost();
      const down = (await obtainImage(engine, canonical(tag), {
        policy: "always",
        registries: [parseRegistrySpec(`${dead}/modelbox`)],
      }).catch((e: unknown) => e)) as ModelboxDevError;
      expect(down.code).toBe("REGISTRY_UNREACHABLE");
      expect(down.message).toContain("connection refused");
    });

    it("a private registry: refused without a login, pulled with the Docker config's credentials", async () => {
      const registries = [parseRegistrySpec(`${locked.host}/modelbox`)];
      const anonymous = (await obtainImage(engine, `modelbox/${NAME}:${tag}`, {
        policy: "always",
        registries,
      }).catch((e: unknown) => e)) as ModelboxDevError;
      expect(anonymous.code).toBe("REGISTRY_AUTH");
      expect(anonymous.hint).toContain(`docker login ${locked.host}`);
      const image = await obtainImage(engine, `modelbox/${NAME}:${tag}`, {
        policy: "always",
        registries,
        credentials: credentialLookup(realDockerConfig({ DOCKER_CONFIG: dockerConfigDir })),
      });
      expect(image.id).toBe((await engine.inspectImage(FIXTURE_RUNTIME_IMAGE))?.id);
    });

    it("lists tags (with Basic auth from the Docker config) and follows the registry's Link pages", async () => {
      const extra = uniqueTag("page");
      await pushImage(FIXTURE_RUNTIME_IMAGE, `${open.host}/modelbox/${NAME}:${extra}`);
      const http = new RegistryHttp(open.url, `${open.host}/modelbox`);
      // One tag per page: three pages, joined.
      expect((await listTags(http, `modelbox/${NAME}`, 1)).sort()).toEqual(
        [bigTag, extra, tag].sort(),
      );
      const result = await lookupTags(NAME, {
        registries: [parseRegistrySpec(`${locked.host}/modelbox`)],
        credentials: credentialLookup(realDockerConfig({ DOCKER_CONFIG: dockerConfigDir })),
      });
      expect(result).toMatchObject({
        tags: [tag],
        registry: `${locked.host}/modelbox`,
        source: "registry",
      });
    });

    it("sees a re-pushed tag: the recorded digest no longer matches", async () => {
      const t = uniqueTag("moving");
      const first = await pushImage(FIXTURE_DEVELOP_IMAGE, `${open.host}/modelbox/${NAME}:${t}`);
      const recorded = `${open.host}/modelbox/${NAME}@${first}`;
      expect(await checkImageDigest(canonical(t), recorded)).toMatchObject({ status: "current" });
      const second = await pushImage(FIXTURE_RUNTIME_IMAGE, `${open.host}/modelbox/${NAME}:${t}`);
      expect(await checkImageDigest(canonical(t), recorded)).toEqual({
        status: "outdated",
        registry: `${open.host}/modelbox`,
        runningDigest: first,
        registryDigest: second,
      });
    });

    it("Ctrl-C: aborting cancels the pull in the engine, and nothing is tagged", async () => {
      const t = uniqueTag("slow");
      const local = await makeRandomImage(`${open.host}/modelbox/${NAME}`, t, 8);
      await pushImage(local, local);
      // 256 kB/s: the 8 MB layer takes half a minute, so the abort lands mid-download.
      const proxy = await startSlowProxy(open.port, 256 * 1024);
      const controller = new AbortController();
      try {
        const pulling = obtainImage(engine, canonical(t), {
          policy: "missing",
          registries: [parseRegistrySpec(`${proxy.host}/modelbox`)],
          signal: controller.signal,
          onProgress: (e) => {
            if (e.status === "Downloading") controller.abort();
          },
        });
        const err = (await pulling.catch((e: unknown) => e)) as ModelboxDevError;
        expect(err.code).toBe("INTERRUPTED");
        expect(await present(canonical(t))).toBe(false);
        // The engine gave up too: the pulled name never appears afterwards.
        await new Promise((r) => setTimeout(r, 2000));
        expect(await present(`${proxy.host}/modelbox/${NAME}:${t}`)).toBe(false);
      } finally {
        await proxy.stop();
        await removeImagesOf(proxy.host);
      }
    });

    it("save and load move an image without a registry", async () => {
      const t = uniqueTag("moved");
      const ref = await makeRandomImage(`mbdev-test-save/${NAME}`, t, 1);
      try {
        const tar = await engine.saveImage([ref]);
        const chunks: Buffer[] = [];
        for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
        const id = (await engine.inspectImage(ref))?.id;
        await removeImageName(ref);
        expect(await present(ref)).toBe(false);
        const body = new PassThrough();
        body.end(Buffer.concat(chunks));
        expect(await engine.loadImage(body)).toEqual([ref]);
        expect((await engine.inspectImage(ref))?.id).toBe(id);
      } finally {
        await removeImageName(ref);
      }
    });
  },
);
