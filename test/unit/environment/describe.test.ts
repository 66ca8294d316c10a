import { describe, expect, it } from "vitest";
import { accessJson } from "../../../src/environment/describe.js";

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
  };

  it("--json: the existing fields stay, readiness and the key are added", () => {
    expect(accessJson(info, outcome)).toEqual({
      ssh: { ...outcome.ssh },
      editor: { ...outcome.editor },
      http: { port: 8080, containerPort: 8080, ready: false },
    });
  });
});
