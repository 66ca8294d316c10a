import { describe, expect, it } from "vitest";
import { ModelboxDevError } from "../../../src/errors.js";
import {
  formatImageReference,
  imageRepository,
  normalizeImageReference,
  parseImageReference,
} from "../../../src/catalog/index.js";

const NAME = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("parseImageReference", () => {
  it.each([
    [`modelbox/${NAME}`, { path: `modelbox/${NAME}` }],
    [`modelbox/${NAME}:latest`, { path: `modelbox/${NAME}`, tag: "latest" }],
    [
      `docker.io/modelbox/${NAME}:v1.5.3`,
      { registry: "docker.io", path: `modelbox/${NAME}`, tag: "v1.5.3" },
    ],
    [
      `swr.cn-north-4.myhuaweicloud.com/modelbox/${NAME}:latest`,
      { registry: "swr.cn-north-4.myhuaweicloud.com", path: `modelbox/${NAME}`, tag: "latest" },
    ],
    [
      `localhost:5000/${NAME}@${DIGEST}`,
      { registry: "localhost:5000", path: NAME, digest: DIGEST },
    ],
    [`localhost/${NAME}`, { registry: "localhost", path: NAME }],
    [
      `[::1]:5000/mirror/modelbox/${NAME}:1.0@${DIGEST}`,
      { registry: "[::1]:5000", path: `mirror/modelbox/${NAME}`, tag: "1.0", digest: DIGEST },
    ],
    // No dot, colon or "localhost": Docker reads the first component as a namespace.
    ["library/ubuntu:22.04", { path: "library/ubuntu", tag: "22.04" }],
    ["ubuntu", { path: "ubuntu" }],
    ["a__b/c--d.e:_T.a-g", { path: "a__b/c--d.e", tag: "_T.a-g" }],
  ])("parses %s", (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
    expect(formatImageReference(parseImageReference(text))).toBe(text);
  });

  it.each([
    ["", /is empty/],
    [`docker pull modelbox/${NAME}`, /whitespace/, /without "docker pull"/],
    [`modelbox/${NAME} `, /whitespace/],
    [`https://registry.example.com/modelbox/${NAME}`, /no URL scheme/, /Drop the/],
    [
      `Modelbox/${NAME}`,
      /must be lowercase \("Modelbox"\)/,
      new RegExp(`Write it in lowercase: modelbox/${NAME}\\.`),
    ],
    [`modelbox/Modelbox-develop`, /must be lowercase/],
    [`modelbox//${NAME}`, /empty path component/],
    [`modelbox/${NAME}/`, /empty path component/],
    [`/modelbox/${NAME}`, /empty path component/],
    [`registry.example.com/`, /empty path component/],
    [`modelbox/${NAME}:`, /tag after ':' is empty/],
    [`modelbox/${NAME}::latest`, /'::' is not allowed/],
    [`modelbox/${NAME}:.latest`, /tag ".latest" is invalid/, /not starting with '.'/],
    [`modelbox/${NAME}:${"a".repeat(129)}`, /is invalid/],
    [`modelbox/${NAME}@sha256:abc`, /not sha256:<64 lowercase hex digits>/],
    [`modelbox/${NAME}@md5:${"a".repeat(32)}`, /not sha256/],
    [`modelbox/${NAME}@${DIGEST.toUpperCase().replace("SHA256", "sha256")}`, /not sha256/],
    [`modelbox/-${NAME}`, /path component "-modelbox/],
    [`modelbox/a...b`, /path component "a...b" is invalid/],
    [`modelbox/a___b`, /is invalid/],
    [`-registry.io/modelbox/x`, /registry host "-registry.io" is not a valid host name/],
    [`registry.io:port/modelbox/x`, /registry port "port" is not a number/],
    [`:5000/modelbox/x`, /registry host "" is not a valid host name/],
    [`:latest`, /repository name is missing/],
    [`${"a/".repeat(128)}b`, /the limit is 255/],
  ])("rejects %j", (text, message, hint?: RegExp) => {
    let error: unknown;
    try {
      parseImageReference(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelboxDevError);
    const failure = error as ModelboxDevError;
    expect(failure.code).toBe("INVALID_IMAGE");
    expect(failure.message).toMatch(message);
    expect(failure.message.startsWith(`Invalid image reference "${text}": `)).toBe(true);
    expect(failure.hint).toMatch(hint ?? /\S/);
  });
});

describe("normalizeImageReference", () => {
  it("adds :latest when neither tag nor digest is given, and nothing else", () => {
    expect(normalizeImageReference(`modelbox/${NAME}`)).toBe(`modelbox/${NAME}:latest`);
    expect(normalizeImageReference("ubuntu")).toBe("ubuntu:latest");
    expect(normalizeImageReference(`mirror.example.com:8443/modelbox/${NAME}`)).toBe(
      `mirror.example.com:8443/modelbox/${NAME}:latest`,
    );
  });

  it("keeps given tags and digests as they are", () => {
    expect(normalizeImageReference(`modelbox/${NAME}:v1.5.3`)).toBe(`modelbox/${NAME}:v1.5.3`);
    expect(normalizeImageReference(`modelbox/${NAME}@${DIGEST}`)).toBe(
      `modelbox/${NAME}@${DIGEST}`,
    );
    expect(normalizeImageReference(`docker.io/modelbox/${NAME}:v1`)).toBe(
      `docker.io/modelbox/${NAME}:v1`,
    );
  });

  it("rejects what parse rejects", () => {
    expect(() => normalizeImageReference("Modelbox/x")).toThrow(/lowercase/);
  });
});

describe("imageRepository", () => {
  it("drops tag and digest but keeps the registry", () => {
    expect(imageRepository(parseImageReference(`localhost:5000/${NAME}:v1@${DIGEST}`))).toBe(
      `localhost:5000/${NAME}`,
    );
  });
});
