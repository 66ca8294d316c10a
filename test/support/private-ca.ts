/**
 * A CA of the test's own, as an organisation signs its registries with, and TLS servers on
 * 127.0.0.1 with a certificate it signed: what NODE_EXTRA_CA_CERTS is for. Made by the openssl
 * command line (Debian's openssl), in a temporary directory removed by `remove()`.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, type Socket, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Server, createServer } from "node:tls";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface PrivateCa {
  /** The CA's certificate, a PEM file: what a user points NODE_EXTRA_CA_CERTS at. */
  caFile: string;
  /** A server certificate for 127.0.0.1 and localhost, signed by the CA, and its key (PEM). */
  serverCert: string;
  serverKey: string;
  remove(): Promise<void>;
}

export async function makePrivateCa(): Promise<PrivateCa> {
  const dir = await mkdtemp(join(tmpdir(), "mbdev-ca-"));
  const at = (name: string) => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    await exec("openssl", [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      at("ca.key"),
      "-out",
      at("ca.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=modelbox-dev test CA",
    ]);
    await exec("openssl", [
      "req",
      ...ec,
      "-keyout",
      at("server.key"),
      "-out",
      at("server.csr"),
      "-subj",
      "/CN=127.0.0.1",
    ]);
    await writeFile(at("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    await exec("openssl", [
      "x509",
      "-req",
      "-in",
      at("server.csr"),
      "-CA",
      at("ca.pem"),
      "-CAkey",
      at("ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      at("server.ext"),
      "-out",
      at("server.pem"),
    ]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `openssl could not make the test CA (install Debian's openssl): ${String(err)}`,
    );
  }
  return {
    caFile: at("ca.pem"),
    serverCert: await readFile(at("server.pem"), "utf8"),
    serverKey: await readFile(at("server.key"), "utf8"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface TlsFront {
  port: number;
  stop(): Promise<void>;
}

/**
 * TLS on 127.0.0.1 in front of a plain service: a port on 127.0.0.1 (a proxy in front of a
 * registry ends TLS for it so), or a unix socket's path (an engine's, as `dockerd --tlsverify`).
 */
export async function startTlsFront(ca: PrivateCa, target: number | string): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: ca.serverCert, key: ca.serverKey }, (client) => {
    const upstream =
      typeof target === "number"
        ? connect({ host: "127.0.0.1", port: target })
        : connect({ path: target });
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  // A client that refuses the certificate ends the handshake: not the server's failure.
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
