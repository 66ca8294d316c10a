import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateEd25519KeyPair } from "../../../src/access/openssh-key.js";
import { plan } from "../../../src/environment/plan.js";
import type { ContainerEngine } from "../../../src/engine/types.js";
import { ModelboxDevError } from "../../../src/errors.js";
import type { UpOptions } from "../../../src/plan/options.js";
import { cpuOnlyFacts } from "../../support/facts.js";

const DEVELOP = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
const RUNTIME = "modelbox/modelbox-runtime-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";

// Planning never needs the engine when the facts are given and no name is looked up.
const engine = {} as ContainerEngine;
const facts = cpuOnlyFacts();

async function codeOf(options: UpOptions): Promise<string | undefined> {
  try {
    await plan({ image: DEVELOP, ...options, facts }, { engine });
  } catch (err) {
    return err instanceof ModelboxDevError ? err.code : String(err);
  }
  return undefined;
}

describe("up's access options are checked before anything is created", () => {
  const dir = mkdtempSync(join(tmpdir(), "mbdev-hooks-"));
  const pub = join(dir, "id.pub");
  writeFileSync(pub, generateEd25519KeyPair("me").publicKey);

  it("accepts good input, and plans the access steps", async () => {
    expect(await codeOf({ sshKey: pub, editorAllow: ["10.0.0.0/8"] })).toBeUndefined();
    const { plan: planned } = await plan({ image: DEVELOP, sshKey: pub, facts }, { engine });
    expect(planned.steps.map((s) => s.id)).toContain("install-key");
    expect(planned.access.sshKey).toBe(pub);
  });
  it("refuses a bad key, a bad CIDR, contradicting options and SSH options for a runtime image", async () => {
    expect(await codeOf({ sshKey: join(dir, "missing.pub") })).toBe("INVALID_SSH_KEY");
    expect(await codeOf({ editorAllow: ["not-an-ip"] })).toBe("INVALID_OPTION");
    expect(await codeOf({ developMode: false, editorAllow: ["10.0.0.0/8"] })).toBe(
      "INVALID_OPTION",
    );
    expect(await codeOf({ image: RUNTIME, sshKey: pub })).toBe("NO_SSHD");
    expect(await codeOf({ kind: "runtime", passwordStdin: true })).toBe("NO_SSHD");
    expect(await codeOf({ image: RUNTIME, editorAllow: ["10.0.0.0/8"] })).toBe("NO_EDITOR");
  });
  it("refuses values a web client could send that the CLI's choices would have stopped", async () => {
    expect(await codeOf({ pull: "sometimes" })).toBe("INVALID_OPTION");
    expect(await codeOf({ kind: "desktop" })).toBe("INVALID_OPTION");
    expect(await codeOf({ timeout: "soon" })).toBe("INVALID_OPTION");
  });
});

describe("the library refuses an empty value as the command line does (never 'not given')", () => {
  it.each([
    ["bind", { bind: "" }, "--bind is empty."],
    ["gpus", { gpus: "" }, "--gpus is empty."],
    ["npu, only spaces", { npu: "  " }, "--npu is empty (only spaces)."],
    [
      "a registry in the list",
      { registry: ["127.0.0.1:5000/modelbox", ""] },
      "--registry is empty.",
    ],
    ["sshKey", { sshKey: "" }, "--ssh-key is empty."],
    ["hostAddress", { hostAddress: "" }, "--host-address is empty."],
  ] satisfies Array<[string, UpOptions, string]>)("%s", async (_, options, message) => {
    const err = await plan({ image: DEVELOP, ...options, facts }, { engine }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelboxDevError);
    expect(err).toMatchObject({ code: "INVALID_OPTION", message });
  });

  it("a control character in a value is refused, named, with the value shown", async () => {
    const err = await plan({ image: DEVELOP, bind: "127.0.0.1\n", facts }, { engine }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "INVALID_OPTION" });
    expect((err as Error).message).toMatch(/^--bind "127\.0\.0\.1\\n" contains a newline/);
  });

  it("the password is refused when empty without being shown, and never checked character by character", async () => {
    expect(await codeOf({ password: "" })).toBe("INVALID_PASSWORD");
  });
});

describe("plan refuses the --bind that up would refuse on this engine", () => {
  const local = {
    connection: {
      url: "unix:///var/run/docker.sock",
      transport: "unix",
      source: "default",
      via: "the default socket",
      context: "default",
    },
  } as ContainerEngine;

  it("an address this host does not have: ADDRESS_NOT_ON_HOST before anything is probed", async () => {
    const refused = await plan({ image: DEVELOP, bind: "10.254.254.254" }, { engine: local }).then(
      () => undefined,
      (err: unknown) => (err instanceof ModelboxDevError ? err.code : String(err)),
    );
    expect(refused).toBe("ADDRESS_NOT_ON_HOST");
  });

  it("with --facts the plan is for another host, whose addresses are not known here", async () => {
    const { plan: planned } = await plan(
      { image: DEVELOP, bind: "10.254.254.254", facts },
      { engine: local },
    );
    expect(planned.ports.every((p) => p.hostIp === "10.254.254.254")).toBe(true);
  });
});
