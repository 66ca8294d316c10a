import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateEd25519KeyPair } from "../../../src/access/openssh-key.js";
import { accessJson, accessSettingsForUp, summaryLines } from "../../../src/cli/access-hooks.js";
import { ModelboxDevError } from "../../../src/errors.js";

const RUNTIME = "modelbox/modelbox-runtime-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";

function codeOf(flags: Record<string, unknown>): string | undefined {
  try {
    accessSettingsForUp({ timeout: "120", mount: [], ...flags });
  } catch (err) {
    return err instanceof ModelboxDevError ? err.code : String(err);
  }
  return undefined;
}

describe("up's access options are checked before anything is created", () => {
  const dir = mkdtempSync(join(tmpdir(), "mbdev-hooks-"));
  const pub = join(dir, "id.pub");
  writeFileSync(pub, generateEd25519KeyPair("me").publicKey);

  it("accepts good input and hands up an afterReady step", () => {
    expect(codeOf({ sshKey: pub, editorAllow: ["10.0.0.0/8"] })).toBeUndefined();
    expect(accessSettingsForUp({ timeout: "120" }).afterReady).toBeTypeOf("function");
  });
  it("refuses a bad key, a bad CIDR, contradicting options and SSH options for a runtime image", () => {
    expect(codeOf({ sshKey: join(dir, "missing.pub") })).toBe("INVALID_SSH_KEY");
    expect(codeOf({ editorAllow: ["not-an-ip"] })).toBe("INVALID_OPTION");
    expect(codeOf({ developMode: false, editorAllow: ["10.0.0.0/8"] })).toBe("INVALID_OPTION");
    expect(codeOf({ image: RUNTIME, sshKey: pub })).toBe("NO_SSHD");
    expect(codeOf({ kind: "runtime", passwordStdin: true })).toBe("NO_SSHD");
    expect(codeOf({ image: RUNTIME, editorAllow: ["10.0.0.0/8"] })).toBe("NO_EDITOR");
  });
});

describe("what up reports", () => {
  const info = {
    ports: { ssh: 50022, editor: 1104, http: 8080 },
    ssh: { host: "10.1.1.1", port: 50022, user: "root", command: "ssh root@10.1.1.1 -p 50022" },
    editor: { url: "http://10.1.1.1:1104/editor/" },
    http: { port: 8080, containerPort: 8080 },
  };
  const outcome = {
    ssh: {
      host: "10.1.1.1",
      port: 50022,
      user: "root",
      keyPath: "/h/.modelbox-dev/environments/box/id_ed25519",
      command: "ssh -i /h/k -o IdentitiesOnly=yes -p 50022 root@10.1.1.1",
      configHost: "box.modelbox",
      ready: true,
      check: "key-login" as const,
    },
    editor: {
      url: info.editor.url,
      ready: true,
      developerMode: "running" as const,
      allow: ["127.0.0.1/8", "172.17.0.1"],
    },
    http: { port: 8080, ready: false },
    passwordSet: false,
    notes: ["a note"],
    warnings: [],
  };

  it("--json: the existing fields stay, readiness and the key are added", () => {
    expect(accessJson(info, outcome)).toEqual({
      ssh: { ...outcome.ssh },
      editor: { ...outcome.editor },
      http: { port: 8080, containerPort: 8080, ready: false },
    });
  });
  it("for humans: how to log in, the password state, the editor, notes", () => {
    const lines = summaryLines("box", outcome).join("\n");
    expect(lines).toContain("ssh box.modelbox");
    expect(lines).toContain(outcome.ssh.command);
    expect(lines).toContain("key login verified");
    expect(lines).toContain("modelbox-dev passwd box");
    expect(lines).toMatch(/develop on: http:\/\/10\.1\.1\.1:1104\/editor\/ answers/);
    expect(lines).toContain("note: a note");
  });
});
