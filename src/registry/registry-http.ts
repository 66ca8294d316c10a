import { ModelboxDevError } from "../errors.js";
import { trustExtraCaCerts } from "../extra-ca-certs.js";
import type { RegistryCredentials } from "./credentials.js";
import { parseWwwAuthenticate, type AuthChallenge } from "./www-authenticate.js";

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface RegistryHttpOptions {
  /** Node's fetch unless a test hands in another. */
  fetch?: FetchLike;
  credentials?: RegistryCredentials;
  /** Per request; a registry that does not answer in time counts as unreachable. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const USER_AGENT = "modelbox-dev";

/** Aborts when either does (AbortSignal.any arrived in Node 20.3; engines allow 20.0). */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any([a, b]);
  const controller = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener("abort", () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/** OpenSSL's and Node's codes for a certificate this host does not trust, or not for this name. */
const UNTRUSTED_CERTIFICATE =
  /SELF_SIGNED|UNABLE_TO_(VERIFY_LEAF|GET_ISSUER)|CERT_UNTRUSTED|CERT_REJECTED|INVALID_CA/;
const INVALID_CERTIFICATE = /CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ALTNAME_INVALID/;

/** Why a request never got an answer, from undici's error cause. */
function networkReason(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string }) : {};
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return "it did not answer in time";
  }
  switch (cause?.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return "the connection timed out";
    case "ECONNRESET":
      return "the connection was reset";
    default: {
      const code = cause?.code ?? "";
      if (UNTRUSTED_CERTIFICATE.test(code)) return `its certificate is not trusted here: ${code}`;
      if (INVALID_CERTIFICATE.test(code)) return `its certificate is not valid here: ${code}`;
      if (code === "ERR_SSL_WRONG_VERSION_NUMBER") return `it does not answer TLS: ${code}`;
      return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    }
  }
}

/** What to do about a failed TLS handshake, from undici's error cause; none for other failures. */
function tlsHint(err: unknown, displayName: string, host: string): string | undefined {
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  const code = cause?.code ?? "";
  if (UNTRUSTED_CERTIFICATE.test(code)) {
    return (
      `Its certificate is not signed by a CA this host trusts. If your organisation signs it, ` +
      `set NODE_EXTRA_CA_CERTS to that CA's certificate (a PEM file) and run again; the engine ` +
      `needs it too, in /etc/docker/certs.d/${host}/ca.crt.`
    );
  }
  if (INVALID_CERTIFICATE.test(code)) {
    return `Its certificate is expired, not yet valid or made for another name: check the name you wrote and this host's clock.`;
  }
  if (/SSL|TLS|CERT|EPROTO/i.test(code)) {
    return `If it serves plain HTTP, write it as http://${displayName.replace(/^https?:\/\//, "")}.`;
  }
  return undefined;
}

/**
 * Registry HTTP API v2 requests with the auth flows registries use: on 401 with
 * `WWW-Authenticate: Bearer realm,service,scope`, fetch a token from the realm (with the user's
 * credentials when there are any) and retry; on `Basic`, retry with the credentials.
 * Credentials and tokens travel only in request headers, never into messages.
 */
export class RegistryHttp {
  private readonly fetch: FetchLike;
  private readonly tokens = new Map<string, string>();
  private basic = false;

  constructor(
    /** e.g. "https://registry-1.docker.io" */
    readonly baseUrl: string,
    /** The registry as the user named it, for messages. */
    readonly displayName: string,
    private readonly options: RegistryHttpOptions = {},
  ) {
    if (!options.fetch) trustExtraCaCerts();
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** GET/HEAD `pathOrUrl` (relative to the base, or absolute from a Link header). */
  async request(
    pathOrUrl: string,
    scope: string,
    init: { method?: "GET" | "HEAD"; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = new URL(pathOrUrl, this.baseUrl).toString();
    let response = await this.send(url, init, this.authorization(scope));
    if (response.status !== 401) return response;
    const challenge = parseWwwAuthenticate(response.headers.get("www-authenticate"));
    await response.body?.cancel();
    const retryWith = await this.answerChallenge(challenge, scope);
    response = await this.send(url, init, retryWith);
    if (response.status === 401) {
      await response.body?.cancel();
      throw this.authError("refused the credentials");
    }
    return response;
  }

  private authorization(scope: string): string | undefined {
    const token = this.tokens.get(scope);
    if (token) return `Bearer ${token}`;
    return this.basic ? this.basicHeader() : undefined;
  }

  private basicHeader(): string | undefined {
    const c = this.options.credentials;
    if (!c?.username || c.password === undefined) return undefined;
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
  }

  private async answerChallenge(
    challenge: AuthChallenge | undefined,
    scope: string,
  ): Promise<string> {
    if (challenge?.scheme === "basic") {
      const header = this.basicHeader();
      if (!header) throw this.authError("requires a login");
      this.basic = true;
      return header;
    }
    if (challenge?.scheme !== "bearer" || !challenge.params.realm) {
      throw this.authError("asks for an authentication scheme modelbox-dev does not speak");
    }
    const token = await this.fetchToken(challenge.params, scope);
    this.tokens.set(scope, token);
    return `Bearer ${token}`;
  }

  /** The token endpoint of the Docker token spec (GET with Basic auth, or OAuth2 refresh). */
  private async fetchToken(params: Record<string, string>, scope: string): Promise<string> {
    const realm = new URL(params.realm ?? "");
    const service = params.service;
    const wantedScope = params.scope ?? scope;
    const c = this.options.credentials;
    let response: Response;
    if (c?.identityToken) {
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: c.identityToken,
        client_id: USER_AGENT,
        ...(service ? { service } : {}),
        ...(wantedScope ? { scope: wantedScope } : {}),
      });
      response = await this.send(realm.toString(), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      });
    } else {
      if (service) realm.searchParams.set("service", service);
      if (wantedScope) realm.searchParams.set("scope", wantedScope);
      response = await this.send(realm.toString(), {}, this.basicHeader());
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw this.authError(c ? "refused the credentials" : "requires a login");
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ModelboxDevError(
        "REGISTRY_ERROR",
        `The token service of ${this.displayName} answered HTTP ${response.status}.`,
        "Try again later, or use another registry (--registry).",
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      token?: string;
      access_token?: string;
    };
    const token = body.token ?? body.access_token;
    if (!token) {
      throw new ModelboxDevError(
        "REGISTRY_ERROR",
        `The token service of ${this.displayName} returned no token.`,
        "Try again later, or use another registry (--registry).",
      );
    }
    return token;
  }

  private async send(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string },
    authorization?: string,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = this.options.signal ? anySignal(this.options.signal, timeout) : timeout;
    try {
      return await this.fetch(url, {
        method: init.method ?? "GET",
        headers: {
          "user-agent": USER_AGENT,
          ...init.headers,
          ...(authorization ? { authorization } : {}),
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
        redirect: "follow",
        signal,
      });
    } catch (err) {
      if (this.options.signal?.aborted) {
        throw new ModelboxDevError("INTERRUPTED", "Interrupted.", "Run the command again.", {
          cause: err,
        });
      }
      const host = new URL(url).host;
      const at = this.displayName.replace(/^https?:\/\//, "").startsWith(`${host}/`)
        ? ""
        : ` at ${host}`;
      throw new ModelboxDevError(
        "REGISTRY_UNREACHABLE",
        `Cannot reach the registry ${this.displayName}${at} (${networkReason(err)}).`,
        tlsHint(err, this.displayName, host) ??
          "Check the network, or use a mirror that is reachable from here: --registry HOST/NAMESPACE (see README, 'Private mirror').",
        { cause: err },
      );
    }
  }

  private authError(what: string): ModelboxDevError {
    const host = this.displayName.split("/")[0] ?? this.displayName;
    return new ModelboxDevError(
      "REGISTRY_AUTH",
      `The registry ${this.displayName} ${what}.`,
      this.options.credentials
        ? `Log in again with 'docker login ${host}' (credentials come from your Docker config).`
        : `Log in with 'docker login ${host}'; modelbox-dev uses the credentials in your Docker config.`,
    );
  }
}

/** The registry's own error sentence from an error body ({"errors":[{"message":…}]}). */
export async function registryErrorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const first = parsed.errors?.[0];
    if (first?.message) return first.message;
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${response.status}`;
}
