import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { installPackedCli, parseJson, runCli } from "../support/cli.js";
import { describeEngine } from "../support/engine.js";
import {
  type PrivateCa,
  type TlsFront,
  makePrivateCa,
  startTlsFront,
} from "../support/private-ca.js";
import { testEngineAddress } from "../support/test-engine.js";

describeEngine(
  "an engine behind TLS whose certificate the user's own CA signed (packed CLI)",
  () => {
    let bin = "";
    let ca: PrivateCa;
    let front: TlsFront;
    let certDir = "";

    beforeAll(async () => {
      const address = testEngineAddress();
      if (!address.startsWith("unix://")) throw new Error(`needs a local socket, not ${address}`);
      bin = await installPackedCli();
      ca = await makePrivateCa();
      // The engine's socket behind TLS on 127.0.0.1, as `dockerd --tlsverify` serves it.
      front = await startTlsFront(ca, address.slice("unix://".length));
      // DOCKER_CERT_PATH without ca.pem: the certificate is checked against the CAs this host
      // trusts, NODE_EXTRA_CA_CERTS's among them.
      certDir = await mkdtemp(join(tmpdir(), "mbdev-certs-"));
    });

    afterAll(async () => {
      await front?.stop();
      await ca?.remove();
      if (certDir) await rm(certDir, { recursive: true, force: true });
    });

    const env = (extraCaCerts: string | undefined) => ({
      DOCKER_HOST: `tcp://127.0.0.1:${front.port}`,
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CERT_PATH: certDir,
      DOCKER_CONTEXT: undefined,
      NODE_EXTRA_CA_CERTS: extraCaCerts,
    });

    it("ls reaches it where NODE_EXTRA_CA_CERTS names the CA, and says what to do where not", async () => {
      const reached = await runCli(bin, ["ls", "--all", "--json"], { env: env(ca.caFile) });
      expect(reached.code, reached.stderr).toBe(0);
      expect(parseJson(reached)).toMatchObject({ ok: true });

      const refused = await runCli(bin, ["ls", "--all"], { env: env(undefined) });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `error: The TLS connection to the engine at tcp://127.0.0.1:${front.port} failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE`,
      );
      expect(refused.stderr).toContain("NODE_EXTRA_CA_CERTS names one more");
    });
  },
);
