/**
 * The second engine host started by `bash test/remote/remote-host.sh`: a dockerd with a
 * filesystem of its own on tcp://127.0.0.2:2375, and the same host as ssh://root@127.0.0.3:2222.
 * Suites that need it use `describeRemote`: skipped with a loud warning where it is not running,
 * failing with CI=true (as `describeEngine` does for the main engine).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Docker from "dockerode";
import { beforeAll, describe, it } from "vitest";

export const REMOTE_TCP = "tcp://127.0.0.2:2375";
export const REMOTE_SSH = "ssh://root@127.0.0.3:2222";
export const REMOTE_ADDRESS = "127.0.0.2";
export const REMOTE_SSH_ADDRESS = "127.0.0.3";
/** Present in the second host's filesystem only (made by test/remote/host-init.sh). */
export const REMOTE_ONLY_DIR = "/srv/modelbox-dev-remote-only";
export const REMOTE_STATE =
  process.env.MODELBOX_REMOTE_STATE ?? "/var/lib/modelbox-dev-remote-host";

let client: Docker | undefined;

/** A client of the second engine, for setting up and checking what tests did there. */
export function remoteClient(): Docker {
  client ??= new Docker({ host: REMOTE_ADDRESS, port: 2375, protocol: "http" });
  return client;
}

let status: Promise<string | undefined> | undefined;

/** Why the second engine cannot be used, or undefined when it answers and has the fixture. */
function remoteUnavailable(): Promise<string | undefined> {
  status ??= (async () => {
    try {
      await remoteClient().ping();
      await remoteClient().getImage("modelbox-dev-fixture/develop:latest").inspect();
      readFileSync(join(REMOTE_STATE, "ssh_config"));
      return undefined;
    } catch (err) {
      return `no second engine host at ${REMOTE_TCP} with the fixture images (${
        err instanceof Error ? err.message : String(err)
      }): run bash test/remote/remote-host.sh`;
    }
  })();
  return status;
}

export function describeRemote(name: string, fn: () => void): void {
  describe(name, async () => {
    const reason = await remoteUnavailable();
    if (!reason) {
      fn();
    } else if (process.env.CI === "true") {
      it("has the second engine host (required with CI=true)", () => {
        throw new Error(reason);
      });
      describe("cannot run", () => {
        beforeAll(() => {
          throw new Error(reason);
        });
        fn();
      });
    } else {
      console.warn(`\n!!! SKIPPING REMOTE ENGINE TESTS "${name}": ${reason}\n`);
      describe.skip(`SKIPPED (${reason})`, fn);
    }
  });
}

/**
 * Lets ssh in a test HOME reach the second host: its ~/.ssh/config includes the key and host
 * settings that remote-host.sh wrote (modelbox-dev hands $HOME's ssh config to ssh).
 */
export function includeRemoteSshConfig(home: string): void {
  const dir = join(home, ".ssh");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = join(dir, "config");
  let text = "";
  try {
    text = readFileSync(config, "utf8");
  } catch {
    text = "";
  }
  const line = `Include ${join(REMOTE_STATE, "ssh_config")}`;
  if (!text.includes(line)) writeFileSync(config, `${line}\n${text}`, { mode: 0o600 });
}
