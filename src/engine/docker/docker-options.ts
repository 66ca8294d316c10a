import { readFileSync } from "node:fs";
import { Agent, type AgentOptions } from "node:http";
import type * as Https from "node:https";
import { createRequire } from "node:module";
import { inspect } from "node:util";
import type Docker from "dockerode";
import { ModelboxDevError } from "../../errors.js";
import { trustExtraCaCerts } from "../../extra-ca-certs.js";
import type { EngineEndpoint, TlsFiles } from "../select/endpoint.js";
import { SshStdioAgent } from "./ssh-stdio.js";

function readPem(path: string | undefined, what: string): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch {
    throw new ModelboxDevError(
      "INVALID_CONFIG",
      `Cannot read the engine's TLS ${what} ${path}.`,
      "Check DOCKER_CERT_PATH (or the context's TLS files): it needs ca.pem, cert.pem and key.pem.",
    );
  }
}

/** node:https, and node:tls under it, loaded for a TLS engine only (~4 ms of every `up` before). */
function tlsAgent(tls: TlsFiles): Https.Agent {
  const ca = readPem(tls.ca, "CA certificate");
  const cert = readPem(tls.cert, "client certificate");
  const key = readPem(tls.key, "client key");
  trustExtraCaCerts();
  const https = createRequire(import.meta.url)("node:https") as typeof Https;
  return new https.Agent({
    keepAlive: true,
    rejectUnauthorized: tls.verify,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
  });
}

/**
 * The agent for a local socket: Node's global agent's settings, and an empty TLS server name. For
 * a request without one, Node works the name out of the host ("localhost" here) with net.isIP,
 * whose first use compiles its IPv6 pattern: ~5 ms of every command's first engine call (4 vs
 * 9 ms for one `http.request`, 5 runs each), for a name that only TLS uses.
 */
class LocalSocketAgent extends Agent {
  /**
   * docker-modem logs each request's options with util.inspect (all properties, any depth),
   * whether or not its debug output is on: an agent shown whole, with its sockets, took seconds
   * of 200 inspections in a row (a first `ls` over 200 environments: 3.3 s against 0.3 s).
   */
  [inspect.custom](): string {
    return "LocalSocketAgent";
  }
}

let localAgent: Agent | undefined;
export function localSocketAgent(): Agent {
  if (!localAgent) {
    // An agent hands its options to each request it makes: the TLS one too, which its type omits.
    const options: AgentOptions & { servername: string } = {
      keepAlive: true,
      scheduling: "lifo",
      timeout: 5_000,
      servername: "",
    };
    localAgent = new LocalSocketAgent(options);
  }
  return localAgent;
}

/**
 * dockerode options for one endpoint. Every connection field is set, even to undefined, because
 * dockerode merges its own reading of DOCKER_HOST underneath whatever it is given.
 */
/** docker-modem takes an HTTP agent too, which dockerode's typings leave out. */
export type DockerConnectOptions = Docker.DockerOptions & { agent?: Agent };

export function toDockerOptions(endpoint: EngineEndpoint): DockerConnectOptions {
  const none = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
  } as const;
  switch (endpoint.transport) {
    case "unix":
      return {
        ...none,
        socketPath: endpoint.socketPath,
        protocol: "http",
        agent: localSocketAgent(),
      };
    case "tcp":
      return endpoint.tls
        ? {
            ...none,
            host: endpoint.host,
            port: endpoint.port,
            protocol: "https",
            agent: tlsAgent(endpoint.tls),
          }
        : { ...none, host: endpoint.host, port: endpoint.port, protocol: "http" };
    case "ssh":
      return {
        ...none,
        // Only used to form request URLs: the agent's connections go through ssh.
        host: endpoint.host,
        protocol: "http",
        agent: new SshStdioAgent(endpoint),
      };
  }
}

/**
 * Makes a dockerode client from options that set every connection field. docker-modem works out
 * defaults from DOCKER_HOST underneath them all the same, and for a tcp:// one reads
 * DOCKER_CERT_PATH's ca.pem, cert.pem and key.pem then and there: a directory without ca.pem
 * (an engine whose certificate a CA this host trusts signed) threw ENOENT out of the constructor.
 * So it is made with no DOCKER_HOST to read (the constructor is synchronous: nothing else runs
 * meanwhile).
 */
export function newDockerode(Dockerode: typeof Docker, options: DockerConnectOptions): Docker {
  const host = process.env.DOCKER_HOST;
  if (host === undefined) return new Dockerode(options);
  delete process.env.DOCKER_HOST;
  try {
    return new Dockerode(options);
  } finally {
    process.env.DOCKER_HOST = host;
  }
}
