import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readBanner } from "../../src/environment/readiness.js";
import { type CliResult, installPackedCli, parseJson, runCli } from "../support/cli.js";
import { describeEngine, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, tagFixtures } from "../support/fixture-names.js";

const PREFIX = "e2econcurrent";
const ROUNDS = 3;
const AT_ONCE = 4;

interface UpJson {
  ok: boolean;
  name: string;
  ports: { ssh: number; editor: number; http: number };
  ssh?: { check: string };
  warnings: string[];
  error?: { code: string; message: string };
}

let bin = "";
let home = "";
const cli = (args: string[]): Promise<CliResult> =>
  runCli(bin, args, { env: { HOME: home }, timeoutMs: 600_000 });

describeEngine("concurrent up with default ports", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await removeContainers(PREFIX);
    home = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it(
    `${AT_ONCE} at once never fail on a port they chose: each gets its own, ${ROUNDS} rounds in a row`,
    async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        const names = Array.from({ length: AT_ONCE }, () => uniqueName(PREFIX));
        // No port options: every one starts from the defaults (50022, 1104, 8080) at once.
        const results = await Promise.all(
          names.map((name) =>
            cli([
              "up",
              name,
              "--image",
              DEVELOP_IMAGE,
              "--bind",
              "127.0.0.1",
              "--no-default-mounts",
              "--no-develop-mode",
              "--pull",
              "never",
              "--timeout",
              "300",
              "--json",
            ]),
          ),
        );
        const bodies = results.map((r) => parseJson<UpJson>(r));
        for (const [i, body] of bodies.entries()) {
          expect(body.error, `round ${round}, ${names[i]}: ${results[i]?.stderr}`).toBeUndefined();
          expect(body.ok).toBe(true);
          expect(body.ssh?.check).toBe("key-login");
        }
        const hostPorts = bodies.flatMap((b) => [b.ports.ssh, b.ports.editor, b.ports.http]);
        expect(new Set(hostPorts).size, `round ${round}: ${hostPorts.join(" ")}`).toBe(
          hostPorts.length,
        );
        for (const body of bodies) {
          expect(await readBanner("127.0.0.1", body.ports.ssh, 5_000)).toMatch(/^SSH-2\.0-/);
        }
        await Promise.all(names.map((name) => cli(["rm", "--force", name])));
      }
    },
    ROUNDS * 600_000,
  );
});
