import { describe, expect, it } from "vitest";
import {
  apiBaseUrl,
  formatRegistrySpec,
  parseRegistrySpec,
} from "../../../src/registry/registry-spec.js";
import {
  pullCandidates,
  resolveImageArgument,
  withReleaseTag,
} from "../../../src/registry/image-source.js";
import { ModelboxDevError } from "../../../src/errors.js";

const NAME = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";

describe("--registry HOST[/NAMESPACE]", () => {
  it("defaults the namespace to modelbox and HTTPS, except plain HTTP on loopback (as Docker)", () => {
    expect(parseRegistrySpec("swr.cn-north-4.myhuaweicloud.com")).toEqual({
      host: "swr.cn-north-4.myhuaweicloud.com",
      namespace: "modelbox",
      scheme: "https",
    });
    expect(parseRegistrySpec("127.0.0.1:5000/mirror/modelbox")).toEqual({
      host: "127.0.0.1:5000",
      namespace: "mirror/modelbox",
      scheme: "http",
    });
    expect(parseRegistrySpec("localhost:5000").scheme).toBe("http");
    expect(parseRegistrySpec("http://192.168.1.10:5000/modelbox/").scheme).toBe("http");
  });

  it("folds Docker Hub's aliases into docker.io, served from registry-1.docker.io", () => {
    for (const alias of [
      "docker.io/modelbox",
      "index.docker.io/modelbox",
      "registry-1.docker.io",
    ]) {
      const spec = parseRegistrySpec(alias);
      expect(spec.host).toBe("docker.io");
      expect(apiBaseUrl(spec)).toBe("https://registry-1.docker.io");
      expect(formatRegistrySpec(spec)).toBe("docker.io/modelbox");
    }
  });

  it("refuses what is not a registry host, with the accepted form in the hint", () => {
    for (const bad of [
      "",
      "modelbox",
      "exa mple.com",
      "reg.example.com/Upper",
      "reg.example.com:port",
    ]) {
      const err = (() => {
        try {
          parseRegistrySpec(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err, bad).toBeInstanceOf(ModelboxDevError);
      expect((err as ModelboxDevError).code).toBe("INVALID_OPTION");
      expect((err as ModelboxDevError).hint).toContain("HOST[:PORT][/NAMESPACE]");
    }
  });
});

describe("where a ModelBox image is pulled from", () => {
  const mirrors = [
    "127.0.0.1:5001/modelbox",
    "reg.example.com/team/modelbox",
    "docker.io/modelbox",
  ].map(parseRegistrySpec);

  it("tries each registry in order, and tags a mirror's copy with the image's own name", () => {
    const candidates = pullCandidates(`modelbox/${NAME}:v1.5.2`, mirrors);
    expect(candidates.map((c) => [c.reference, c.needsTag])).toEqual([
      [`127.0.0.1:5001/modelbox/${NAME}:v1.5.2`, true],
      [`reg.example.com/team/modelbox/${NAME}:v1.5.2`, true],
      [`modelbox/${NAME}:v1.5.2`, false],
    ]);
    expect(candidates.map((c) => c.repository)).toEqual([
      `127.0.0.1:5001/modelbox/${NAME}`,
      `reg.example.com/team/modelbox/${NAME}`,
      `modelbox/${NAME}`,
    ]);
  });

  it("pulls anything that is not a Hub modelbox/ image exactly as written", () => {
    for (const image of [
      `swr.example.com/modelbox/${NAME}:1`,
      "ubuntu:22.04",
      `modelbox/${NAME}@sha256:${"a".repeat(64)}`,
    ]) {
      const [only, ...rest] = pullCandidates(image, mirrors);
      expect(rest).toEqual([]);
      expect(only?.reference).toBe(image);
      expect(only?.needsTag).toBe(false);
    }
    expect(pullCandidates("ubuntu:22.04")[0]?.path).toBe("library/ubuntu");
  });

  it("accepts a bare ModelBox name, modelbox/NAME or a full reference, adding :latest", () => {
    expect(resolveImageArgument(NAME)).toBe(`modelbox/${NAME}:latest`);
    expect(resolveImageArgument(`modelbox/${NAME}:v1`)).toBe(`modelbox/${NAME}:v1`);
    expect(resolveImageArgument("ubuntu")).toBe("ubuntu:latest");
  });

  it("--version replaces the catalogue's :latest, and must agree with a tag the user wrote", () => {
    expect(withReleaseTag(`modelbox/${NAME}:latest`, "v1.5.2", true)).toBe(
      `modelbox/${NAME}:v1.5.2`,
    );
    expect(withReleaseTag(`modelbox/${NAME}`, "v1.5.2", false)).toBe(`modelbox/${NAME}:v1.5.2`);
    expect(withReleaseTag(`modelbox/${NAME}:v1.5.2`, "v1.5.2", false)).toBe(
      `modelbox/${NAME}:v1.5.2`,
    );
    expect(() => withReleaseTag(`modelbox/${NAME}:latest`, "v1.5.2", false)).toThrow(/disagrees/);
    expect(() => withReleaseTag(`modelbox/${NAME}`, "-bad", true)).toThrow(/not a valid image tag/);
    expect(() => withReleaseTag(`modelbox/${NAME}@sha256:${"b".repeat(64)}`, "1", true)).toThrow(
      /pinned by digest/,
    );
  });
});
