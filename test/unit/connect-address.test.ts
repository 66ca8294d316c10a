import { describe, expect, it } from "vitest";
import { reachFor } from "../../src/connect-address.js";
import type { EngineConnection } from "../../src/engine/types.js";

const local = { hostAddress: "192.0.2.10", connectAddress: "127.0.0.1" };
const conn = (url: string, transport: EngineConnection["transport"], remoteHost?: string) => ({
  url,
  transport,
  source: "flag" as const,
  via: "--host",
  context: "default",
  ...(remoteHost ? { remoteHost } : {}),
});

describe("addresses that work from here", () => {
  it("a local engine keeps this host's addresses", () => {
    expect(reachFor(conn("unix:///var/run/docker.sock", "unix"), "0.0.0.0", local)).toEqual(local);
  });

  it("a remote engine's ports on all interfaces are reached at its host's address from the URL", () => {
    expect(reachFor(conn("tcp://gpu1:2375", "tcp", "gpu1"), "0.0.0.0", local)).toEqual({
      hostAddress: "gpu1",
      connectAddress: "gpu1",
    });
  });

  it("a specific bind address is used as it is; --host-address is printed instead", () => {
    const c = conn("tcp://gpu1:2375", "tcp", "gpu1");
    expect(reachFor(c, "10.1.2.3", local).hostAddress).toBe("10.1.2.3");
    expect(reachFor(c, "0.0.0.0", local, "gpu1.lab").hostAddress).toBe("gpu1.lab");
  });

  it("ports on an ssh:// engine's loopback go through the same login", () => {
    expect(reachFor(conn("ssh://dev@gpu1:2222", "ssh", "gpu1"), "127.0.0.1", local)).toEqual({
      hostAddress: "127.0.0.1",
      connectAddress: "127.0.0.1",
      proxyJump: "dev@gpu1:2222",
    });
  });

  it("ports on a tcp:// engine's loopback cannot be reached, and that is said", () => {
    const r = reachFor(conn("tcp://gpu1:2375", "tcp", "gpu1"), "127.0.0.1", local);
    expect(r.unreachable).toMatch(/gpu1's loopback/);
  });
});
