import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ModelboxDevError } from "../errors.js";
import { isDockerHub } from "./registry-spec.js";

/**
 * Registry credentials as the user's Docker CLI keeps them (`docker login`). They are handed to
 * the engine and to the registry, and never printed, logged or cached.
 */
export interface RegistryCredentials {
  /** The address Docker files them under ("https://index.docker.io/v1/" for Docker Hub). */
  serverAddress: string;
  username?: string;
  password?: string;
  /** An OAuth refresh token from `docker login` (helpers report it with username "<token>"). */
  identityToken?: string;
}

export type CredentialLookup = (host: string) => Promise<RegistryCredentials | undefined>;

const HUB_SERVER = "https://index.docker.io/v1/";

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export interface HelperAnswer {
  username: string;
  secret: string;
}

/** What the lookup reads: injected in tests, the real files and helpers otherwise. */
export interface DockerConfigSource {
  /** Where the config lives, for messages. */
  path?: string;
  readConfig: () => Promise<string | undefined>;
  /** Runs `docker-credential-<helper> get`; undefined when it has nothing for this server. */
  runHelper: (helper: string, serverUrl: string) => Promise<HelperAnswer | undefined>;
}

/** Docker's own rule: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), ".docker"), "config.json");
}

/** The hostname a config key names ("https://host/v1/" → "host"), Hub aliases folded. */
function keyHost(key: string): string {
  const host = key.replace(/^https?:\/\//i, "").split("/")[0] ?? "";
  return isDockerHub(host) ? "docker.io" : host.toLowerCase();
}

function serverAddressFor(host: string): string {
  return isDockerHub(host) ? HUB_SERVER : host;
}

function fromEntry(entry: AuthEntry, serverAddress: string): RegistryCredentials | undefined {
  if (entry.identitytoken) return { serverAddress, identityToken: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      return {
        serverAddress,
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
      };
    }
  }
  if (entry.username && entry.password) {
    return { serverAddress, username: entry.username, password: entry.password };
  }
  return undefined;
}

function parseConfig(text: string, path: string): DockerConfigFile {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    throw new ModelboxDevError(
      "INVALID_CONFIG",
      `The Docker config file ${path} is not valid JSON.`,
      "Fix or remove it ('docker login' writes it again).",
    );
  }
}

/**
 * Credentials for a registry host, looked up as the Docker CLI does: a `credHelpers` entry for
 * the host, else `credsStore`, else the base64 `auth` under `auths`. Undefined: pull anonymously.
 */
export async function lookupCredentials(
  host: string,
  source: DockerConfigSource = realDockerConfig(),
): Promise<RegistryCredentials | undefined> {
  const text = await source.readConfig();
  if (text === undefined) return undefined;
  const config = parseConfig(text, source.path ?? dockerConfigPath());
  const wanted = keyHost(host);
  const serverAddress = serverAddressFor(host);
  const helperKey = Object.keys(config.credHelpers ?? {}).find((k) => keyHost(k) === wanted);
  const helper = (helperKey ? config.credHelpers?.[helperKey] : undefined) ?? config.credsStore;
  const entryKey = Object.keys(config.auths ?? {}).find((k) => keyHost(k) === wanted);
  if (helper) {
    const answer = await source.runHelper(helper, helperKey ?? serverAddress);
    if (answer) {
      return answer.username === "<token>"
        ? { serverAddress, identityToken: answer.secret }
        : { serverAddress, username: answer.username, password: answer.secret };
    }
  }
  const entry = entryKey ? config.auths?.[entryKey] : undefined;
  return entry ? fromEntry(entry, serverAddress) : undefined;
}

/** One lookup per host per run: a helper may prompt or be slow. */
export function credentialLookup(
  source: DockerConfigSource = realDockerConfig(),
): CredentialLookup {
  const seen = new Map<string, Promise<RegistryCredentials | undefined>>();
  return (host) => {
    const key = keyHost(host);
    let found = seen.get(key);
    if (!found) {
      found = lookupCredentials(host, source);
      seen.set(key, found);
    }
    return found;
  };
}

export function realDockerConfig(env: NodeJS.ProcessEnv = process.env): DockerConfigSource {
  const path = dockerConfigPath(env);
  return {
    path,
    readConfig: () => readFile(path, "utf8").catch(() => undefined),
    runHelper: runCredentialHelper,
  };
}

const HELPER_TIMEOUT_MS = 30_000;

/** `docker-credential-<helper> get`, the server URL on stdin (the helper protocol). */
export function runCredentialHelper(
  helper: string,
  serverUrl: string,
): Promise<HelperAnswer | undefined> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, ["get"], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), HELPER_TIMEOUT_MS);
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new ModelboxDevError(
          "REGISTRY_AUTH",
          e.code === "ENOENT"
            ? `The Docker credential helper ${program} is not installed.`
            : `The Docker credential helper ${program} could not run (${e.code ?? e.message}).`,
          `Install ${program}, or remove "${helper}" from credsStore/credHelpers in ${dockerConfigPath()}.`,
        ),
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      // The helper's stdout holds the secret: only its stderr/exit status may be shown.
      const text = Buffer.concat(out).toString("utf8");
      if (code === 0) {
        try {
          const parsed = JSON.parse(text) as { Username?: string; Secret?: string };
          if (parsed.Secret) {
            return resolve({ username: parsed.Username ?? "", secret: parsed.Secret });
          }
          return resolve(undefined);
        } catch {
          return reject(helperFailure(program, "its answer is not JSON"));
        }
      }
      const said = `${text}\n${Buffer.concat(err).toString("utf8")}`;
      // The protocol's "nothing stored" answer: pull anonymously, as Docker does.
      if (/credentials not found/i.test(said)) return resolve(undefined);
      const firstLine = Buffer.concat(err).toString("utf8").trim().split("\n")[0] ?? "";
      reject(helperFailure(program, firstLine || `exit status ${code ?? "?"}`));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(serverUrl);
  });
}

function helperFailure(program: string, why: string): ModelboxDevError {
  return new ModelboxDevError(
    "REGISTRY_AUTH",
    `The Docker credential helper ${program} failed: ${why}.`,
    "Run 'docker login <registry>' again, or check the helper's own setup.",
  );
}
