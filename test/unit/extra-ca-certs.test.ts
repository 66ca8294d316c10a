import { get } from "node:https";
import { readFile } from "node:fs/promises";
import { type AddressInfo } from "node:net";
import { createServer as createHttpServer } from "node:http";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEFERRED_CA_CERTS_VARIABLE,
  deferredCaCertsPath,
  takeDeferredCaCerts,
  trustExtraCaCerts,
} from "../../src/extra-ca-certs.js";
import {
  type PrivateCa,
  type TlsFront,
  makePrivateCa,
  startTlsFront,
} from "../support/private-ca.js";

const originalCreate = tls.createSecureContext;
const STATE = Symbol.for("modelbox-dev.deferred-extra-ca-certs");

let ca: PrivateCa;
let otherCa: PrivateCa;
let plain: ReturnType<typeof createHttpServer>;
const fronts: TlsFront[] = [];
let url = "";

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([makePrivateCa(), makePrivateCa()]);
  plain = createHttpServer((_req, res) => res.end("registry"));
  await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
});

/**
 * Each test its own TLS server: fetch resumes TLS sessions by origin, and a resumed session
 * checks no certificate.
 */
beforeEach(async () => {
  const front = await startTlsFront(ca, (plain.address() as AddressInfo).port);
  fronts.push(front);
  url = `https://127.0.0.1:${front.port}/`;
});

afterAll(async () => {
  await Promise.all(fronts.map((f) => f.stop()));
  await new Promise((resolve) => plain.close(resolve));
  await Promise.all([ca.remove(), otherCa.remove()]);
});

afterEach(() => {
  tls.createSecureContext = originalCreate;
  delete (globalThis as Record<symbol, unknown>)[STATE];
  vi.restoreAllMocks();
});

/** What a request over a fresh connection ends in: the body, or the TLS error's code. */
async function viaFetch(): Promise<string> {
  return fetch(url, { headers: { connection: "close" } }).then(
    (r) => r.text(),
    (err: Error) => (err.cause as { code?: string }).code ?? err.message,
  );
}

function viaHttps(options: { ca?: string } = {}): Promise<string> {
  return new Promise((resolve) => {
    get(url, { agent: false, ...options }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve(body));
    }).on("error", (err: Error & { code?: string }) => resolve(err.code ?? err.message));
  });
}

describe("NODE_EXTRA_CA_CERTS set aside by the bin", () => {
  it("goes back into the environment for child processes, its path kept for the first TLS use", () => {
    const env: NodeJS.ProcessEnv = { [DEFERRED_CA_CERTS_VARIABLE]: ca.caFile, PATH: "/usr/bin" };
    takeDeferredCaCerts(env);
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: ca.caFile, PATH: "/usr/bin" });
    expect(deferredCaCertsPath()).toBe(ca.caFile);
  });

  it("defers nothing where Node read NODE_EXTRA_CA_CERTS itself, or none was set aside", () => {
    const both: NodeJS.ProcessEnv = {
      [DEFERRED_CA_CERTS_VARIABLE]: ca.caFile,
      NODE_EXTRA_CA_CERTS: "/etc/other.pem",
    };
    takeDeferredCaCerts(both);
    expect(both).toEqual({ NODE_EXTRA_CA_CERTS: "/etc/other.pem" });
    takeDeferredCaCerts({});
    expect(deferredCaCertsPath()).toBeUndefined();
    trustExtraCaCerts();
    expect(tls.createSecureContext).toBe(originalCreate);
  });

  it("is trusted from trustExtraCaCerts on, by fetch and https alike; a `ca` of its own still replaces it", async () => {
    expect(await viaFetch()).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    takeDeferredCaCerts({ [DEFERRED_CA_CERTS_VARIABLE]: ca.caFile });
    expect(await viaFetch()).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");

    trustExtraCaCerts();
    expect(deferredCaCertsPath()).toBeUndefined();
    expect(await viaFetch()).toBe("registry");
    expect(await viaHttps()).toBe("registry");
    // As with Node's own reading: a connection that names its CAs trusts those only.
    expect(await viaHttps({ ca: await readFile(otherCa.caFile, "utf8") })).toBe(
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    );
  });

  it("makes a context once for the same plain options, each time for keys and certificates", () => {
    takeDeferredCaCerts({ [DEFERRED_CA_CERTS_VARIABLE]: ca.caFile });
    trustExtraCaCerts();
    // As tls.connect passes them: the connection's own options beside the context's.
    const options = { ciphers: tls.DEFAULT_CIPHERS, servername: "a" } as tls.SecureContextOptions;
    const first = tls.createSecureContext(options);
    expect(tls.createSecureContext({ ...options, port: 443 } as tls.SecureContextOptions)).toBe(
      first,
    );
    expect(tls.createSecureContext({ ciphers: "HIGH" })).not.toBe(first);
    const withKey = { cert: ca.serverCert, key: ca.serverKey };
    expect(tls.createSecureContext(withKey)).not.toBe(tls.createSecureContext(withKey));
  });

  it("a file that cannot be read gets Node's warning, and TLS goes on without it", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    takeDeferredCaCerts({ [DEFERRED_CA_CERTS_VARIABLE]: `${ca.caFile}.missing` });
    trustExtraCaCerts();
    trustExtraCaCerts();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /^Ignoring extra certs from `.*\.missing`, load failed: ENOENT/,
    );
    expect(tls.createSecureContext).toBe(originalCreate);
    expect(await viaFetch()).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });
});
