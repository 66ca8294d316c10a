import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type PullFailureKind,
  pullError,
  pullFailureKind,
} from "../../../src/registry/classify-pull-error.js";

const recorded = JSON.parse(
  readFileSync(new URL("../../fixtures/registry/pull-errors.json", import.meta.url), "utf8"),
) as { cases: Array<{ kind: PullFailureKind; message: string }> };

const ctx = {
  image: "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:v1",
  registry: "docker.io/modelbox",
  host: "docker.io",
  name: "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64",
};

describe("why a pull failed (the daemon's own sentences)", () => {
  it.each(recorded.cases)("$kind: $message", ({ kind, message }) => {
    expect(pullFailureKind(message)).toBe(kind);
  });

  it("each reason has a code and a hint the user can act on", () => {
    const byKind = (kind: PullFailureKind) => {
      const c = recorded.cases.find((x) => x.kind === kind);
      if (!c) throw new Error(`no ${kind} case`);
      return pullError(c.message, ctx);
    };
    expect(byKind("not-found")).toMatchObject({ code: "IMAGE_NOT_FOUND" });
    expect(byKind("not-found").hint).toContain(`modelbox-dev images --tags ${ctx.name}`);
    expect(byKind("auth")).toMatchObject({ code: "REGISTRY_AUTH" });
    expect(byKind("auth").hint).toContain("docker login docker.io");
    expect(byKind("unreachable")).toMatchObject({ code: "REGISTRY_UNREACHABLE" });
    expect(byKind("unreachable").hint).toContain("--registry");
    expect(byKind("unreachable").message).toContain("connection refused");
    expect(byKind("disk-full")).toMatchObject({ code: "DISK_FULL" });
    expect(byKind("disk-full").hint).toContain("docker system prune");
    expect(byKind("rate-limited").hint).toContain("mirror");
    const plain = pullError(
      'Get "https://10.0.0.5:5000/v2/": http: server gave HTTP response to HTTPS client',
      {
        ...ctx,
        host: "10.0.0.5:5000",
      },
    );
    expect(plain.hint).toContain('"insecure-registries"');
  });
});
