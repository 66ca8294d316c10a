/** The engine's version from /_ping's headers, as Docker and Podman send them (recorded). */
import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { versionFromPingHeaders } from "../../../../src/engine/docker/ping.js";
import { recordedIn } from "../../../support/recorded.js";

/** Headers as node's http client hands them over: names in lower case. */
function recordedHeaders(path: string): IncomingHttpHeaders {
  const text = recordedIn()(path);
  const headers: IncomingHttpHeaders = {};
  for (const line of text.split("\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

describe("the engine's version from /_ping", () => {
  it.each([
    ["Docker", "docker/ping-headers-20.10.24-debian12.txt", "docker", "20.10.24+dfsg1"],
    // Told by its Libpod headers, with the Docker-compatible API version.
    ["Podman", "podman/ping-headers-4.3.1-debian12.txt", "podman", "4.3.1"],
  ] as const)(
    "%s: its version, API version and OS from Server and Api-Version",
    (_, path, kind, version) => {
      expect(versionFromPingHeaders(recordedHeaders(path))).toEqual({
        kind,
        version,
        apiVersion: "1.41",
        os: "linux",
      });
    },
  );

  it("headers that do not say (an engine before API 1.25, a proxy): undefined, /version is asked", () => {
    expect(versionFromPingHeaders({ server: "Docker/1.12.6 (linux)" })).toBeUndefined();
    expect(versionFromPingHeaders({ "api-version": "1.41", server: "nginx/1.25" })).toBeUndefined();
    expect(versionFromPingHeaders({ "api-version": "1.41" })).toBeUndefined();
  });
});
