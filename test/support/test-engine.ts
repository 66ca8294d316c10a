/**
 * The engine the engine and end-to-end suites run against, chosen by MODELBOX_TEST_ENGINE:
 * `docker` (default: DOCKER_HOST, else the default socket) or `podman` (Podman's compatible
 * service, as `bash test/remote/podman-service.sh` starts it). Every suite reads it here, and
 * the choice is handed to the CLI under test through DOCKER_HOST, as a user would.
 */
export type TestEngineKind = "docker" | "podman";

export const PODMAN_TEST_SOCKET = "/run/modelbox-dev-podman/podman.sock";

export function testEngineKind(): TestEngineKind {
  const kind = process.env.MODELBOX_TEST_ENGINE ?? "docker";
  if (kind !== "docker" && kind !== "podman") {
    throw new Error(`MODELBOX_TEST_ENGINE must be docker or podman, not ${JSON.stringify(kind)}`);
  }
  return kind;
}

/** Points DOCKER_HOST at the chosen engine (once, before any client is made). */
export function useTestEngine(): TestEngineKind {
  const kind = testEngineKind();
  if (kind === "podman") {
    process.env.DOCKER_HOST =
      process.env.MODELBOX_TEST_PODMAN_HOST ?? `unix://${PODMAN_TEST_SOCKET}`;
  }
  return kind;
}

/** The engine's address for messages: what the suites talk to. */
export function testEngineAddress(): string {
  return process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
}
