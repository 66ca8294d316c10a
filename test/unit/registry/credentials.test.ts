import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DockerConfigSource,
  credentialLookup,
  lookupCredentials,
  realDockerConfig,
  runCredentialHelper,
} from "../../../src/registry/credentials.js";
import type { ModelboxDevError } from "../../../src/errors.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

function source(
  config: object,
  helpers: Record<string, Record<string, [string, string]>> = {},
): DockerConfigSource {
  return {
    readConfig: () => Promise.resolve(JSON.stringify(config)),
    runHelper: (helper, server) => {
      const found = helpers[helper]?.[server];
      return Promise.resolve(found ? { username: found[0], secret: found[1] } : undefined);
    },
  };
}

describe("credentials from the user's Docker config", () => {
  it("decodes the base64 auth under auths, matching Docker Hub under any of its names", async () => {
    const config = { auths: { "https://index.docker.io/v1/": { auth: b64("alice:pa:ss") } } };
    for (const host of ["docker.io", "index.docker.io", "registry-1.docker.io"]) {
      expect(await lookupCredentials(host, source(config))).toEqual({
        serverAddress: "https://index.docker.io/v1/",
        username: "alice",
        password: "pa:ss",
      });
    }
  });

  it("matches other registries by host, whatever scheme or path the key was written with", async () => {
    const config = { auths: { "https://reg.example.com:5000/v2/": { auth: b64("bob:pw") } } };
    expect(await lookupCredentials("reg.example.com:5000", source(config))).toMatchObject({
      serverAddress: "reg.example.com:5000",
      username: "bob",
    });
    expect(await lookupCredentials("other.example.com", source(config))).toBeUndefined();
  });

  it("asks credHelpers for their host, then credsStore, then falls back to auths", async () => {
    const config = {
      credsStore: "desktop",
      credHelpers: { "swr.example.com": "swr" },
      auths: { "plain.example.com": { auth: b64("carol:filepw") } },
    };
    const helpers = {
      swr: { "swr.example.com": ["swr-user", "swr-secret"] as [string, string] },
      desktop: {
        "https://index.docker.io/v1/": ["<token>", "refresh-token-1"] as [string, string],
      },
    };
    expect(await lookupCredentials("swr.example.com", source(config, helpers))).toMatchObject({
      username: "swr-user",
      password: "swr-secret",
    });
    // "<token>" means the secret is an identity token (docker login with SSO).
    expect(await lookupCredentials("docker.io", source(config, helpers))).toEqual({
      serverAddress: "https://index.docker.io/v1/",
      identityToken: "refresh-token-1",
    });
    expect(await lookupCredentials("plain.example.com", source(config, helpers))).toMatchObject({
      username: "carol",
    });
  });

  it("no config file means anonymous; a broken one is INVALID_CONFIG without its content", async () => {
    const none: DockerConfigSource = {
      readConfig: () => Promise.resolve(undefined),
      runHelper: () => Promise.resolve(undefined),
    };
    expect(await lookupCredentials("docker.io", none)).toBeUndefined();
    const broken: DockerConfigSource = {
      readConfig: () => Promise.resolve('{"auths": {"x": {"auth": "c2VjcmV0"'),
      runHelper: () => Promise.resolve(undefined),
    };
    const err = await lookupCredentials("docker.io", broken).catch((e: unknown) => e);
    expect((err as ModelboxDevError).code).toBe("INVALID_CONFIG");
    expect((err as ModelboxDevError).message).not.toContain("c2VjcmV0");
  });

  it("looks each host up once per run", async () => {
    let reads = 0;
    const counting: DockerConfigSource = {
      readConfig: () => {
        reads++;
        return Promise.resolve("{}");
      },
      runHelper: () => Promise.resolve(undefined),
    };
    const lookup = credentialLookup(counting);
    await lookup("docker.io");
    await lookup("index.docker.io");
    expect(reads).toBe(1);
  });
});

describe("docker-credential-<helper> get (real processes)", () => {
  let dir = "";
  const oldPath = process.env.PATH;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mbdev-helpers-"));
    const helper = (name: string, body: string) =>
      writeFile(join(dir, `docker-credential-${name}`), `#!/bin/sh\n${body}\n`).then(() =>
        chmod(join(dir, `docker-credential-${name}`), 0o755),
      );
    // Reads the server URL on stdin, as the helper protocol says.
    await helper(
      "good",
      'read server; [ "$1" = get ] || exit 3; printf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret-9"}\' "$server"',
    );
    await helper("empty", 'echo "credentials not found in native keychain"; exit 1');
    await helper(
      "broken",
      'echo "secret-in-stdout-never-shown"; echo "dbus: no session bus" >&2; exit 1',
    );
    process.env.PATH = `${dir}:${oldPath ?? ""}`;
  });
  afterAll(async () => {
    process.env.PATH = oldPath;
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the helper's answer", async () => {
    expect(await runCredentialHelper("good", "reg.example.com")).toEqual({
      username: "helper-user",
      secret: "helper-secret-9",
    });
  });

  it("'credentials not found' means anonymous", async () => {
    expect(await runCredentialHelper("empty", "reg.example.com")).toBeUndefined();
  });

  it("a failing or missing helper is REGISTRY_AUTH, quoting its stderr, never its stdout", async () => {
    const failed = (await runCredentialHelper("broken", "r").catch(
      (e: unknown) => e,
    )) as ModelboxDevError;
    expect(failed.code).toBe("REGISTRY_AUTH");
    expect(failed.message).toContain("dbus: no session bus");
    expect(failed.message).not.toContain("secret-in-stdout");
    const missing = (await runCredentialHelper("not-installed-xyz", "r").catch(
      (e: unknown) => e,
    )) as ModelboxDevError;
    expect(missing.code).toBe("REGISTRY_AUTH");
    expect(missing.message).toContain("docker-credential-not-installed-xyz is not installed");
  });

  it("realDockerConfig reads $DOCKER_CONFIG/config.json and runs the helpers", async () => {
    await writeFile(
      join(dir, "config.json"),
      JSON.stringify({ credHelpers: { "reg.example.com": "good" } }),
    );
    const found = await lookupCredentials(
      "reg.example.com",
      realDockerConfig({ DOCKER_CONFIG: dir }),
    );
    expect(found).toMatchObject({ username: "helper-user", password: "helper-secret-9" });
  });
});
