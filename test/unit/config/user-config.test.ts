import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { effectiveRegistries } from "../../../src/config/registries.js";
import { loadUserConfig } from "../../../src/config/user-config.js";
import type { ModelboxDevError } from "../../../src/errors.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mbdev-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe("~/.modelbox-dev/config.json", () => {
  it("is optional", async () => {
    expect(await loadUserConfig(join(dir, "none.json"))).toEqual({});
  });

  it("holds registries and the tag cache's lifetime; unknown keys are left for newer versions", async () => {
    const path = await configFile(
      "ok.json",
      JSON.stringify({
        registries: ["swr.example.com/modelbox"],
        tagsCacheTtlSeconds: 60,
        future: 1,
      }),
    );
    expect(await loadUserConfig(path)).toEqual({
      registries: ["swr.example.com/modelbox"],
      tagsCacheTtlSeconds: 60,
    });
  });

  it("bad JSON or a bad shape is INVALID_CONFIG naming the file and the field", async () => {
    const broken = await configFile("broken.json", "{ registries: [");
    const e1 = (await loadUserConfig(broken).catch((e: unknown) => e)) as ModelboxDevError;
    expect(e1.code).toBe("INVALID_CONFIG");
    expect(e1.message).toContain(broken);
    const wrong = await configFile(
      "wrong.json",
      JSON.stringify({ registries: "swr.example.com", tagsCacheTtlSeconds: -1 }),
    );
    const e2 = (await loadUserConfig(wrong).catch((e: unknown) => e)) as ModelboxDevError;
    expect(e2.code).toBe("INVALID_CONFIG");
    expect(e2.details.join("\n")).toMatch(/registries/);
    expect(e2.details.join("\n")).toMatch(/tagsCacheTtlSeconds/);
  });
});

describe("which registries, in order", () => {
  it("--registry (repeatable or comma-separated) over the config file over docker.io/modelbox", () => {
    const config = { registries: ["swr.example.com/modelbox", "docker.io/modelbox"] };
    expect(
      effectiveRegistries(["127.0.0.1:5000,reg.example.com/x"], config).map((r) => r.host),
    ).toEqual(["127.0.0.1:5000", "reg.example.com"]);
    expect(effectiveRegistries(undefined, config).map((r) => `${r.host}/${r.namespace}`)).toEqual([
      "swr.example.com/modelbox",
      "docker.io/modelbox",
    ]);
    expect(effectiveRegistries([], {})).toEqual([
      { host: "docker.io", namespace: "modelbox", scheme: "https" },
    ]);
  });

  it("a bad entry in the config file is INVALID_CONFIG; a bad flag is INVALID_OPTION", () => {
    expect(() => effectiveRegistries(undefined, { registries: ["no-dot"] })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG" }) as Error,
    );
    expect(() => effectiveRegistries(["no-dot"], {})).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION" }) as Error,
    );
  });
});
