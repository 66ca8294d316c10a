import type { Agent } from "node:http";
import { request } from "node:http";
import { createServer } from "node:net";
import { mkdtempSync } from "node:fs";
import { inspect } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  localSocketAgent,
  newDockerode,
  toDockerOptions,
} from "../../../../src/engine/docker/docker-options.js";
import { loadDockerode } from "../../../../src/engine/docker/defer-heavy-modules.js";

describe("dockerode options", () => {
  it("a local socket goes through one keep-alive agent that names no TLS server", () => {
    const options = toDockerOptions({ transport: "unix", socketPath: "/var/run/docker.sock" });
    expect(options.socketPath).toBe("/var/run/docker.sock");
    expect(options.agent).toBe(localSocketAgent());
    // Read by Node's agent for each request: a name given means none is worked out with isIP.
    const agentOptions = (options.agent as Agent & { options: Record<string, unknown> }).options;
    expect(agentOptions).toMatchObject({ keepAlive: true, servername: "" });
  });

  it("the agent prints short: docker-modem inspects every request's options, all of them", () => {
    // As docker-modem does, whether its debug output is on or not (a whole agent took seconds).
    const shown = inspect(
      { agent: localSocketAgent(), path: "/_ping" },
      { showHidden: true, depth: null },
    );
    expect(shown.length).toBeLessThan(200);
    expect(shown).toContain("LocalSocketAgent");
  });

  it("plain TCP keeps Node's own agent", () => {
    const options = toDockerOptions({ transport: "tcp", host: "127.0.0.2", port: 2375 });
    expect(options).toMatchObject({ host: "127.0.0.2", port: 2375, protocol: "http" });
    expect(options.agent).toBeUndefined();
  });

  it("requests through the local agent reach a unix socket as before", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mbdev-agent-"));
    const socketPath = join(dir, "engine.sock");
    const server = createServer((c) =>
      c.once("data", () => c.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")),
    );
    await new Promise<void>((r) => server.listen(socketPath, r));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ socketPath, path: "/_ping", agent: localSocketAgent() }, (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve(text));
        });
        req.on("error", reject);
        req.end();
      });
      expect(body).toBe("OK");
    } finally {
      server.close();
    }
  });

  it("the client reads no DOCKER_HOST or DOCKER_CERT_PATH of its own under the options it is given", () => {
    // An engine whose certificate a trusted CA signed: no ca.pem where DOCKER_CERT_PATH points.
    const certDir = mkdtempSync(join(tmpdir(), "mbdev-certs-"));
    const saved = { ...process.env };
    Object.assign(process.env, {
      DOCKER_HOST: "tcp://127.0.0.9:2376",
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CERT_PATH: certDir,
    });
    try {
      const options = toDockerOptions({
        transport: "tcp",
        host: "127.0.0.2",
        port: 2376,
        tls: { verify: true },
      });
      // docker-modem read the directory as it was made: ENOENT for ca.pem.
      expect(() => new (loadDockerode())(options)).toThrow(/ENOENT.*ca\.pem/);
      const modem = newDockerode(loadDockerode(), options).modem as unknown as Record<
        string,
        unknown
      >;
      expect(modem).toMatchObject({ host: "127.0.0.2", port: 2376, protocol: "https" });
      expect([modem.ca, modem.cert, modem.key]).toEqual([undefined, undefined, undefined]);
      expect(process.env.DOCKER_HOST).toBe("tcp://127.0.0.9:2376");
    } finally {
      for (const k of ["DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
