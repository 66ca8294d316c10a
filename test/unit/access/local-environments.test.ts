import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { localEnvironment, localEnvironments } from "../../../src/access/local-environments.js";
import { withEntry } from "../../../src/access/ssh-config-block.js";

let home = "";
const saved = process.env.HOME;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "mbdev-unit-home-"));
  process.env.HOME = home;
});
afterEach(() => {
  process.env.HOME = saved;
  rmSync(home, { recursive: true, force: true });
});

const entry = (name: string) => ({ name, hostName: "127.0.0.1", port: 50022, user: "root" });

it("lists key directories and managed ssh config entries by name, each with what it has", async () => {
  const environments = join(home, ".modelbox-dev", "environments");
  mkdirSync(join(environments, "both"), { recursive: true });
  mkdirSync(join(environments, "only-key"));
  writeFileSync(join(environments, "not-a-directory"), "");
  mkdirSync(join(home, ".ssh"));
  const config = withEntry(
    withEntry("Host work\n  User alice\n", entry("both")),
    entry("only-entry"),
  );
  writeFileSync(join(home, ".ssh", "config"), config);

  expect(await localEnvironments()).toEqual([
    {
      name: "both",
      keyDirectory: join(environments, "both"),
      sshConfigEntry: "both.modelbox",
    },
    { name: "only-entry", sshConfigEntry: "only-entry.modelbox" },
    { name: "only-key", keyDirectory: join(environments, "only-key") },
  ]);
  expect(await localEnvironment("only-key")).toEqual({
    name: "only-key",
    keyDirectory: join(environments, "only-key"),
  });
  expect(await localEnvironment("work")).toBeUndefined();
});

it("is empty on a host where modelbox-dev never ran", async () => {
  expect(await localEnvironments()).toEqual([]);
});
