import { describe, expect, it } from "vitest";
import type { ContainerEngine } from "../../../src/engine/types.js";
import { resolveImageName } from "../../../src/environment/image-name.js";
import { ModelboxDevError } from "../../../src/errors.js";

/** An engine that has no image at all, and counts the lookups. */
function emptyEngine() {
  const asked: string[] = [];
  const engine = {
    inspectImage: (ref: string) => {
      asked.push(ref);
      return Promise.resolve(undefined);
    },
  } as unknown as ContainerEngine;
  return { engine, asked };
}

async function codeOf(text: string): Promise<string | undefined> {
  try {
    await resolveImageName(emptyEngine().engine, text);
  } catch (err) {
    return err instanceof ModelboxDevError ? err.code : String(err);
  }
  return undefined;
}

describe("an image named for up and pull", () => {
  it("Docker Hub's modelbox/ namespace, however Hub is written, is the catalogue's: an unknown name there is refused", async () => {
    for (const text of [
      "modelbox/not-an-image:1",
      "docker.io/modelbox/not-an-image:1",
      "index.docker.io/modelbox/not-an-image:1",
    ]) {
      expect(await codeOf(text)).toBe("UNKNOWN_IMAGE");
    }
  });

  it("another registry's or namespace's image is left to the registry, without a lookup", async () => {
    const { engine, asked } = emptyEngine();
    expect(await resolveImageName(engine, "registry.example.com/team/custom:1")).toBe(
      "registry.example.com/team/custom:1",
    );
    expect(await resolveImageName(engine, "someone/tool:2")).toBe("someone/tool:2");
    expect(asked).toEqual([]);
  });

  it("a refused name lists the nearest images, their repositories in one column however long the short names", async () => {
    let details: string[] = [];
    try {
      await resolveImageName(emptyEngine().engine, "modelbox-develp-tensorflow");
    } catch (err) {
      details = err instanceof ModelboxDevError ? err.details : [];
    }
    expect(details[0]).toMatch(/^ {2}tensorflow_2\.6\.0-cuda_11\.2 +modelbox\/modelbox-develop-/);
    const columns = details.map((line) => line.indexOf("modelbox/"));
    expect(columns.length).toBe(3);
    expect(new Set(columns).size).toBe(1);
  });
});
