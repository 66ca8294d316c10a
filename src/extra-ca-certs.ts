import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Tls from "node:tls";

/**
 * NODE_EXTRA_CA_CERTS, read when the command line makes its first TLS connection instead of as
 * Node starts.
 *
 * Node 20 reads that file at every start and builds its whole root store with it (OpenSSL 3
 * parses each certificate): ~50 ms of every command here, where it names the system's bundle,
 * against ~30 ms for all of Node's start without it. Most commands make no TLS connection. So
 * the package's bin (dist/bin/main.cjs, see scripts/bundle-cli.mjs) starts under /bin/sh, moves
 * the variable to DEFERRED_CA_CERTS_VARIABLE and runs Node; the entry point puts it back for the
 * processes this one starts (takeDeferredCaCerts), and what opens a TLS connection calls
 * trustExtraCaCerts() first, which adds the file's certificates to every TLS context that names
 * no CA of its own, as Node does with them (`ca` replaces them both).
 *
 * Only the bin defers: the library, and `node dist/bin/main.cjs`, get Node's own reading.
 */
export const DEFERRED_CA_CERTS_VARIABLE = "MODELBOX_DEV_DEFERRED_NODE_EXTRA_CA_CERTS";

/** Process-wide, not module state: the entry point and the commands are separate bundles. */
const DEFERRED = Symbol.for("modelbox-dev.deferred-extra-ca-certs");
interface DeferredState {
  path: string;
  trusted: boolean;
}
type WithDeferred = typeof globalThis & { [DEFERRED]?: DeferredState };

/**
 * Takes the path the bin moved aside and puts NODE_EXTRA_CA_CERTS back in `env`. Where
 * NODE_EXTRA_CA_CERTS is set anyway, Node has read it itself and nothing is deferred.
 */
export function takeDeferredCaCerts(env: NodeJS.ProcessEnv = process.env): void {
  const path = env[DEFERRED_CA_CERTS_VARIABLE];
  if (path === undefined) return;
  delete env[DEFERRED_CA_CERTS_VARIABLE];
  if (env.NODE_EXTRA_CA_CERTS !== undefined || path === "") return;
  env.NODE_EXTRA_CA_CERTS = path;
  (globalThis as WithDeferred)[DEFERRED] = { path, trusted: false };
}

/** The file whose certificates are still to be trusted, if any. */
export function deferredCaCertsPath(): string | undefined {
  const state = (globalThis as WithDeferred)[DEFERRED];
  return state && !state.trusted ? state.path : undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * Options of tls.createSecureContext (Node 20's lib/internal/tls/secure-context.js) that are
 * settings: contexts that differ in nothing else are alike (tls.connect always passes its default
 * ciphers; a connection's other options, its host and port among them, are not the context's).
 */
const SETTINGS = [
  "allowPartialTrustChain",
  "ciphers",
  "ecdhCurve",
  "honorCipherOrder",
  "maxVersion",
  "minVersion",
  "secureOptions",
  "secureProtocol",
  "sessionIdContext",
  "sessionTimeout",
  "sigalgs",
] as const;

/** The rest: a context with any of them is made for its connection alone. */
const OWN_MATERIAL = [
  "cert",
  "clientCertEngine",
  "crl",
  "dhparam",
  "key",
  "passphrase",
  "pfx",
  "privateKeyEngine",
  "privateKeyIdentifier",
  "ticketKeys",
] as const;

/** A key for a context made only of settings; none for one with keys, certificates or the like. */
function settingsKey(options: Tls.SecureContextOptions | undefined): string | undefined {
  if (!options) return "";
  if (OWN_MATERIAL.some((name) => options[name] !== undefined)) return undefined;
  return JSON.stringify(SETTINGS.map((name) => options[name] ?? null));
}

/**
 * Makes TLS contexts without a CA of their own trust NODE_EXTRA_CA_CERTS's certificates, where
 * the bin deferred it; does nothing otherwise, or once done. Call it before the first TLS
 * connection. A file that cannot be read gets Node's own warning, and TLS goes on without it.
 */
export function trustExtraCaCerts(): void {
  const state = (globalThis as WithDeferred)[DEFERRED];
  if (!state || state.trusted) return;
  state.trusted = true;
  let certificates: string[];
  try {
    certificates = readFileSync(state.path, "latin1").match(PEM_CERTIFICATE) ?? [];
  } catch (err) {
    process.emitWarning(
      `Ignoring extra certs from \`${state.path}\`, load failed: ${(err as Error).message}`,
    );
    return;
  }
  if (certificates.length === 0) return;
  const tls = createRequire(import.meta.url)("node:tls") as typeof Tls;
  const create = tls.createSecureContext;
  // Each context copies the root store and parses the extra certificates (~25-50 ms for a
  // system bundle): contexts of the same settings are made once.
  const made = new Map<string, Tls.SecureContext>();
  tls.createSecureContext = function createWithExtraCaCerts(options) {
    if (options?.ca) return create.call(tls, options);
    const key = settingsKey(options);
    const known = key === undefined ? undefined : made.get(key);
    if (known) return known;
    const context = create.call(tls, options);
    // The native context's own method for a CA certificate, as `ca` would add it, here on top
    // of the root store the context was given.
    const native = context.context as { addCACert(pem: string): void };
    for (const pem of certificates) native.addCACert(pem);
    if (key !== undefined) made.set(key, context);
    return context;
  };
}
