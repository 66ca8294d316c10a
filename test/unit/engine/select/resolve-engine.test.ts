import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chooseCandidate, connectionOf } from "../../../../src/engine/select/choose-engine.js";
import { listContexts } from "../../../../src/engine/select/docker-contexts.js";
import { formatEndpoint, parseHostUrl } from "../../../../src/engine/select/endpoint.js";
import {
  type EngineWorld,
  dockerConfigStore,
  resolveEngine,
} from "../../../../src/engine/select/resolve-engine.js";

const HOME = "/home/dev";
const sha = (name: string) => createHash("sha256").update(name).digest("hex");

/** A world of files under a home directory, as the docker CLI would find them. */
function world(env: Record<string, string> = {}, files: Record<string, string> = {}): EngineWorld {
  return {
    env,
    homeDir: HOME,
    readText: (path) => files[path],
    listDir: (path) => {
      const prefix = `${path}/`;
      const names = Object.keys(files)
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length).split("/")[0] ?? "");
      return [...new Set(names)];
    },
  };
}

/** What `docker context create NAME --docker host=URL` writes. */
function contextFiles(name: string, host: string, dir = `${HOME}/.docker`, extra = {}) {
  return {
    [`${dir}/contexts/meta/${sha(name)}/meta.json`]: JSON.stringify({
      Name: name,
      Metadata: { Description: `${name} server` },
      Endpoints: { docker: { Host: host, SkipTLSVerify: false, ...extra } },
    }),
  };
}

const config = (current: string, dir = `${HOME}/.docker`) => ({
  [`${dir}/config.json`]: JSON.stringify({ auths: {}, currentContext: current }),
});

describe("engine addresses", () => {
  it("reads unix, tcp, bare host:port and ssh addresses as the docker CLI does", () => {
    expect(parseHostUrl("unix:///run/podman/podman.sock")).toEqual({
      transport: "unix",
      socketPath: "/run/podman/podman.sock",
    });
    expect(parseHostUrl("tcp://127.0.0.2:2375")).toEqual({
      transport: "tcp",
      host: "127.0.0.2",
      port: 2375,
    });
    expect(parseHostUrl("gpu1:2375")).toMatchObject({ transport: "tcp", host: "gpu1", port: 2375 });
    expect(parseHostUrl("tcp://gpu1")).toMatchObject({ port: 2375 });
    expect(parseHostUrl("ssh://dev@127.0.0.3:2222")).toEqual({
      transport: "ssh",
      host: "127.0.0.3",
      user: "dev",
      port: 2222,
    });
    expect(parseHostUrl("ssh://gpu1")).toEqual({ transport: "ssh", host: "gpu1" });
  });

  it("takes port 2376 to mean TLS, as dockerd's convention has it", () => {
    expect(parseHostUrl("tcp://gpu1:2376")).toMatchObject({ tls: { verify: false } });
  });

  it("keeps Podman's ssh form with the remote socket path", () => {
    const endpoint = parseHostUrl("ssh://core@gpu2:22/run/user/1000/podman/podman.sock");
    expect(endpoint).toMatchObject({ socketPath: "/run/user/1000/podman/podman.sock" });
    expect(formatEndpoint(endpoint)).toBe("ssh://core@gpu2:22/run/user/1000/podman/podman.sock");
  });

  it("refuses what is not an engine address, with the forms it accepts", () => {
    for (const bad of [
      "",
      "unix://relative.sock",
      "ftp://gpu1",
      "tcp://gpu1:2375/path",
      "npipe:////./pipe/x",
    ]) {
      expect(() => parseHostUrl(bad)).toThrow(/engine address/);
    }
  });
});

describe("which engine: the docker CLI's precedence", () => {
  const files = {
    ...config("current"),
    ...contextFiles("current", "ssh://dev@current-host"),
    ...contextFiles("fromenv", "tcp://env-host:2375"),
    ...contextFiles("fromflag", "ssh://flag-host"),
  };

  it("--context wins over everything", () => {
    const s = resolveEngine(
      { context: "fromflag" },
      world({ DOCKER_HOST: "tcp://x:2375", DOCKER_CONTEXT: "fromenv" }, files),
    );
    expect(s).toMatchObject({
      source: "flag",
      context: "fromflag",
      endpoint: { host: "flag-host" },
    });
    expect(s.via).toBe('context "fromflag" (--context)');
  });

  it("--host comes next, and is the default context", () => {
    const s = resolveEngine(
      { host: "ssh://dev@127.0.0.3" },
      world({ DOCKER_HOST: "tcp://x:2375", DOCKER_CONTEXT: "fromenv" }, files),
    );
    expect(s).toMatchObject({ source: "flag", via: "--host", context: "default" });
    expect(s.endpoint).toMatchObject({ transport: "ssh", host: "127.0.0.3" });
  });

  it("--host and --context together are refused", () => {
    expect(() => resolveEngine({ host: "tcp://a:1", context: "b" }, world({}, files))).toThrow(
      /Both --host and --context/,
    );
  });

  it("DOCKER_HOST wins over DOCKER_CONTEXT and the current context", () => {
    const s = resolveEngine(
      {},
      world({ DOCKER_HOST: "tcp://127.0.0.2:2375", DOCKER_CONTEXT: "fromenv" }, files),
    );
    expect(s).toMatchObject({ source: "env", via: "DOCKER_HOST", endpoint: { host: "127.0.0.2" } });
  });

  it("DOCKER_CONTEXT wins over config.json's current context", () => {
    const s = resolveEngine({}, world({ DOCKER_CONTEXT: "fromenv" }, files));
    expect(s).toMatchObject({ source: "env", context: "fromenv", endpoint: { host: "env-host" } });
  });

  it("the current context of config.json comes last before the default", () => {
    const s = resolveEngine({}, world({}, files));
    expect(s).toMatchObject({
      source: "context",
      context: "current",
      endpoint: { host: "current-host" },
    });
    expect(s.via).toBe('context "current" (current context in config.json)');
  });

  it("DOCKER_CONFIG moves the configuration directory", () => {
    const dir = "/etc/dockercfg";
    const s = resolveEngine(
      {},
      world(
        { DOCKER_CONFIG: dir },
        { ...config("moved", dir), ...contextFiles("moved", "tcp://moved:2375", dir) },
      ),
    );
    expect(s.endpoint).toMatchObject({ host: "moved" });
  });

  it("a context named 'default' means DOCKER_HOST or the local socket", () => {
    expect(resolveEngine({ context: "default" }, world({}, files)).endpoint).toEqual({
      transport: "unix",
      socketPath: "/var/run/docker.sock",
    });
    expect(resolveEngine({}, world({}, config("default"))).source).toBe("default");
  });

  it("an unknown context is refused with how to list them", () => {
    let error: unknown;
    try {
      resolveEngine({ context: "nope" }, world({}, files));
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: "INVALID_OPTION" });
    expect((error as Error).message).toMatch(/"nope"/);
    expect((error as { hint: string }).hint).toMatch(/docker context ls/);
  });

  it("a config.json that is not JSON is named in the error", () => {
    expect(() => resolveEngine({}, world({}, { [`${HOME}/.docker/config.json`]: "{" }))).toThrow(
      /config\.json is not valid JSON/,
    );
  });
});

describe("TLS", () => {
  it("DOCKER_TLS_VERIFY with DOCKER_CERT_PATH takes the certificates that are there", () => {
    const certs = "/certs";
    const s = resolveEngine(
      {},
      world(
        { DOCKER_HOST: "tcp://gpu1:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs },
        { [`${certs}/ca.pem`]: "x", [`${certs}/cert.pem`]: "x", [`${certs}/key.pem`]: "x" },
      ),
    );
    expect(s.endpoint).toEqual({
      transport: "tcp",
      host: "gpu1",
      port: 2376,
      tls: { verify: true, ca: "/certs/ca.pem", cert: "/certs/cert.pem", key: "/certs/key.pem" },
    });
  });

  it("without DOCKER_CERT_PATH the certificates come from ~/.docker", () => {
    const s = resolveEngine(
      {},
      world(
        { DOCKER_HOST: "tcp://gpu1:2376", DOCKER_TLS_VERIFY: "1" },
        { [`${HOME}/.docker/ca.pem`]: "x" },
      ),
    );
    expect(s.endpoint).toMatchObject({ tls: { verify: true, ca: `${HOME}/.docker/ca.pem` } });
  });

  it("a context's TLS files live under contexts/tls/<sha256 of its name>/docker", () => {
    const tlsDir = `${HOME}/.docker/contexts/tls/${sha("secure")}/docker`;
    const s = resolveEngine(
      { context: "secure" },
      world(
        {},
        {
          ...contextFiles("secure", "tcp://gpu1:2376"),
          [`${tlsDir}/ca.pem`]: "x",
          [`${tlsDir}/cert.pem`]: "x",
        },
      ),
    );
    expect(s.endpoint).toMatchObject({
      tls: { verify: true, ca: `${tlsDir}/ca.pem`, cert: `${tlsDir}/cert.pem` },
    });
  });

  it("SkipTLSVerify in the context turns verification off", () => {
    const tlsDir = `${HOME}/.docker/contexts/tls/${sha("lax")}/docker`;
    const s = resolveEngine(
      { context: "lax" },
      world(
        {},
        {
          ...contextFiles("lax", "tcp://gpu1:2376", undefined, { SkipTLSVerify: true }),
          [`${tlsDir}/ca.pem`]: "x",
        },
      ),
    );
    expect(s.endpoint).toMatchObject({ tls: { verify: false } });
  });
});

describe("Podman's sockets behind the default Docker socket", () => {
  const env = { CONTAINER_HOST: "unix:///tmp/podman-ci.sock", XDG_RUNTIME_DIR: "/run/user/1000" };

  it("lists CONTAINER_HOST, then the rootful and the rootless socket", () => {
    const s = resolveEngine({}, world(env));
    expect(s.fallbacks.map((f) => [f.via, formatEndpoint(f.endpoint)])).toEqual([
      ["CONTAINER_HOST", "unix:///tmp/podman-ci.sock"],
      ["Podman's rootful socket", "unix:///run/podman/podman.sock"],
      ["Podman's rootless socket", "unix:///run/user/1000/podman/podman.sock"],
    ]);
  });

  it("the Docker socket is used when it is there", () => {
    const chosen = chooseCandidate(resolveEngine({}, world(env)), () => true);
    expect(chosen.via).toBe("the default Docker socket");
  });

  it("the first Podman socket that is there is used when Docker's is not", () => {
    const present = new Set(["/run/user/1000/podman/podman.sock"]);
    const s = resolveEngine({}, world({ XDG_RUNTIME_DIR: "/run/user/1000" }));
    const chosen = chooseCandidate(s, (p) => present.has(p));
    expect(connectionOf(s, chosen)).toEqual({
      url: "unix:///run/user/1000/podman/podman.sock",
      transport: "unix",
      source: "default",
      via: "Podman's rootless socket",
      context: "default",
    });
  });

  it("with no socket at all, the Docker socket stays (its error is the one users expect)", () => {
    expect(chooseCandidate(resolveEngine({}, world(env)), () => false).via).toBe(
      "the default Docker socket",
    );
  });

  it("an explicit choice is never replaced by a Podman socket", () => {
    const s = resolveEngine({ host: "unix:///nowhere.sock" }, world(env));
    expect(s.fallbacks).toEqual([]);
    expect(chooseCandidate(s, () => false).via).toBe("--host");
  });
});

describe("remote engines", () => {
  it("ssh:// and non-loopback tcp:// engines name their host; local sockets do not", () => {
    const remote = (url: string) => connectionOf(resolveEngine({ host: url }, world())).remoteHost;
    expect(remote("ssh://dev@127.0.0.3")).toBe("127.0.0.3");
    expect(remote("tcp://127.0.0.2:2375")).toBe("127.0.0.2");
    expect(remote("tcp://127.0.0.1:2375")).toBeUndefined();
    expect(remote("unix:///var/run/docker.sock")).toBeUndefined();
  });

  it("every configured context is listed, by name", () => {
    const store = dockerConfigStore(
      world(
        {},
        { ...contextFiles("b-host", "ssh://b"), ...contextFiles("a-host", "tcp://a:2375") },
      ),
    );
    expect(listContexts(store).map((c) => [c.name, formatEndpoint(c.endpoint)])).toEqual([
      ["a-host", "tcp://a:2375"],
      ["b-host", "ssh://b"],
    ]);
  });
});
