import { describe, expect, it } from "vitest";
import { accessLines } from "../../../src/cli/render-up.js";
import { settingsLines } from "../../../src/cli/render-settings.js";
import type { UpResult } from "../../../src/environment/types.js";

describe("what up reports for humans", () => {
  const result: UpResult = {
    ok: true,
    action: "created",
    name: "box",
    id: "0123456789abcdef",
    image: "modelbox/x:latest",
    state: "running",
    ports: { ssh: 50022, editor: 1104, http: 8080 },
    ssh: {
      host: "10.1.1.1",
      port: 50022,
      user: "root",
      keyPath: "/h/.modelbox-dev/environments/box/id_ed25519",
      command: "ssh -i /h/k -o IdentitiesOnly=yes -p 50022 root@10.1.1.1",
      configHost: "box.modelbox",
      ready: true,
      check: "key-login",
    },
    editor: {
      url: "http://10.1.1.1:1104/editor/",
      ready: true,
      developerMode: "running",
      allow: ["127.0.0.1/8", "172.17.0.1"],
    },
    http: { port: 8080, containerPort: 8080, ready: false },
    passwordSet: false,
    warnings: [],
    notes: ["a note"],
    settings: {
      published: [{ hostIp: "127.0.0.1", hostPort: 6006, containerPort: 6006, protocol: "tcp" }],
      homeVolume: "modelbox-dev-home-box",
      env: ["HF_TOKEN", "TF_CPP_MIN_LOG_LEVEL"],
      shmSizeBytes: 8 * 1024 ** 3,
      memoryBytes: 16 * 1024 ** 3,
      cpus: 1.5,
      ulimits: ["nofile=65536:65536"],
    },
    steps: [],
  };

  it("how to log in, the password state, the editor", () => {
    const lines = accessLines(result).join("\n");
    expect(lines).toContain("ssh box.modelbox");
    expect(lines).toContain(result.ssh?.command);
    expect(lines).toContain("key login verified");
    expect(lines).toContain("modelbox-dev passwd box");
    expect(lines).toMatch(/develop on: http:\/\/10\.1\.1\.1:1104\/editor\/ answers/);
  });
  it("published ports, the /root volume, variables by name only, and the limits", () => {
    const lines = settingsLines(result.settings).join("\n");
    expect(lines).toContain("publish 127.0.0.1:6006 → 6006/tcp");
    expect(lines).toContain("/root in volume modelbox-dev-home-box");
    expect(lines).toContain("env     HF_TOKEN, TF_CPP_MIN_LOG_LEVEL (values not shown)");
    expect(lines).toContain("limits  shm 8g, memory 16g, cpus 1.5, ulimit nofile=65536:65536");
    const plain = settingsLines({
      published: [],
      env: [],
      shmSizeBytes: 8 * 1024 ** 3,
      ulimits: [],
    }).join("\n");
    expect(plain).toContain("/root in the container");
    expect(plain).not.toContain("env");
    expect(plain).toContain("limits  shm 8g");
  });
  it("no login lines when the access steps did not set SSH up", () => {
    const generic = {
      ...result,
      ssh: { host: "h", port: 1, user: "root", command: "ssh root@h -p 1" },
    };
    expect(accessLines(generic).join("\n")).not.toContain("login");
  });
});
