import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type CliResult,
  installPackedCli,
  parseJson,
  runCli,
  loopbackPorts,
} from "../support/cli.js";
import {
  FIXTURE_DEVELOP_IMAGE,
  FIXTURE_RUNTIME_IMAGE,
  describeDockerOnly,
  engineClient,
  removeContainers,
  uniqueName,
  waitFor,
} from "../support/engine.js";
import {
  type TestRegistry,
  deadRegistryHost,
  makeRandomImage,
  pushImage,
  removeImageName,
  removeImagesOf,
  startRegistry,
  startSlowProxy,
  uniqueTag,
} from "../support/registry.js";
import { makePrivateCa, startTlsFront } from "../support/private-ca.js";

const NAME = "modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const RUNTIME_NAME = "modelbox-runtime-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const tag = uniqueTag("e2e");
const bigTag = uniqueTag("e2ebig");
const user = { username: "mbdev", password: `pw-${uniqueTag("s3cret")}` };
const canonical = (name: string, t: string) => `modelbox/${name}:${t}`;

interface ErrorJson {
  ok: false;
  error: { code: string; message: string; hint?: string; details?: string[] };
}

let bin = "";
let home = "";
let open: TestRegistry;
let locked: TestRegistry;
const createdNames: string[] = [];

/** The CLI with its own HOME: config file, tag cache and Docker config of a fresh user. */
const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runCli(bin, args, { env: { HOME: home, DOCKER_CONFIG: join(home, ".docker"), ...env } });

async function present(ref: string): Promise<boolean> {
  return engineClient()
    .getImage(ref)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

describeDockerOnly(
  "registries as a user meets them (packed CLI, real local registries)",
  "the test registries are filled by pushing through the engine and reading the digest from the push's aux event, which Podman 4.3's compatible API does not send",
  () => {
    beforeAll(async () => {
      bin = await installPackedCli();
      home = await mkdtemp(join(tmpdir(), "mbdev-e2e-home-"));
      await mkdir(join(home, ".docker"), { recursive: true });
      [open, locked] = await Promise.all([startRegistry(), startRegistry({ user })]);
      await pushImage(FIXTURE_DEVELOP_IMAGE, `${open.host}/modelbox/${NAME}:${tag}`);
      await pushImage(FIXTURE_RUNTIME_IMAGE, `${locked.host}/modelbox/${RUNTIME_NAME}:${tag}`, {
        ...user,
        serveraddress: locked.host,
      });
      const big = await makeRandomImage(`${open.host}/modelbox/${RUNTIME_NAME}`, bigTag, 6);
      await pushImage(big, big);
      createdNames.push(
        canonical(NAME, tag),
        canonical(RUNTIME_NAME, tag),
        canonical(RUNTIME_NAME, bigTag),
      );
      await removeContainers("regcli");
    });

    afterAll(async () => {
      await removeContainers("regcli");
      await removeImagesOf(open.host, createdNames);
      await removeImagesOf(locked.host);
      await Promise.all([open.stop(), locked.stop()]);
      await rm(home, { recursive: true, force: true });
    });

    it("pull shows one line per layer state change (not a TTY) and records where it came from", async () => {
      const dead = await deadRegistryHost();
      const r = await cli([
        "pull",
        RUNTIME_NAME,
        "--version",
        bigTag,
        "--registry",
        `${dead}/modelbox`,
        "--registry",
        `${open.host}/modelbox`,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `Cannot reach the registry ${dead}/modelbox (connection refused).`,
      );
      expect(r.stderr).toMatch(/^ {2}[0-9a-f]{12}: downloading \(6\.\d MB\)$/m);
      expect(r.stderr).toMatch(/^ {2}[0-9a-f]{12}: pull complete \(6\.\d MB\)$/m);
      expect(r.stderr).toContain(
        `Pulled ${canonical(RUNTIME_NAME, bigTag)} from ${open.host}/modelbox`,
      );
      expect(r.stdout).toContain(canonical(RUNTIME_NAME, bigTag));
      expect(r.stdout).toMatch(
        new RegExp(`digest {2}${open.host}/modelbox/${RUNTIME_NAME}@sha256:[0-9a-f]{64}`),
      );
      expect(await present(canonical(RUNTIME_NAME, bigTag))).toBe(true);
    });

    it("pull --json: progress events as JSON lines on stderr, one result object on stdout", async () => {
      await removeImageName(canonical(RUNTIME_NAME, bigTag));
      await removeImagesOf(open.host);
      const r = await cli([
        "pull",
        `modelbox/${RUNTIME_NAME}:${bigTag}`,
        "--registry",
        `${open.host}/modelbox`,
        "--json",
      ]);
      expect(r.code, r.stderr).toBe(0);
      const body = parseJson<{ ok: boolean; image: string; digest: string; registry: string }>(r);
      expect(body).toMatchObject({
        ok: true,
        image: canonical(RUNTIME_NAME, bigTag),
        registry: `${open.host}/modelbox`,
      });
      const events = r.stderr
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { event: string; state?: string; totalBytes?: number });
      expect(events[0]).toMatchObject({ event: "pull-attempt", registry: `${open.host}/modelbox` });
      expect(events.some((e) => e.event === "layer" && e.state === "downloading")).toBe(true);
      expect(events.some((e) => e.event === "progress" && (e.totalBytes ?? 0) > 6_000_000)).toBe(
        true,
      );
      expect(events.at(-1)).toMatchObject({ event: "pulled", digest: body.digest });
    });

    it("images --tags lists the registry's tags, then answers from the cache; the config file names the registry", async () => {
      await writeFile(
        join(home, ".modelbox-dev-config.json"),
        JSON.stringify({ registries: [`${open.host}/modelbox`], tagsCacheTtlSeconds: 3600 }),
      );
      const env = { MODELBOX_DEV_CONFIG: join(home, ".modelbox-dev-config.json") };
      const first = await cli(["images", "--tags", RUNTIME_NAME, "--json"], env);
      expect(first.code, first.stderr).toBe(0);
      expect(parseJson(first)).toMatchObject({
        ok: true,
        registry: `${open.host}/modelbox`,
        repository: `modelbox/${RUNTIME_NAME}`,
        tags: [bigTag],
        source: "registry",
      });
      const second = await cli(["images", "--tags", RUNTIME_NAME], env);
      expect(second.stdout).toBe(`${bigTag}\n`);
      expect(second.stderr).toMatch(/cached .*--refresh/);
      const refreshed = await cli(["images", "--tags", RUNTIME_NAME, "--refresh", "--json"], env);
      expect(parseJson(refreshed)).toMatchObject({ source: "registry" });
    });

    it("a registry whose certificate the user's own CA signed: trusted through NODE_EXTRA_CA_CERTS, refused without it, saying what to do", async () => {
      const ca = await makePrivateCa();
      const front = await startTlsFront(ca, open.port);
      try {
        const registry = `https://127.0.0.1:${front.port}/modelbox`;
        const args = ["images", "--tags", RUNTIME_NAME, "--registry", registry, "--refresh"];
        // First without: nothing is cached yet to fall back on.
        const refused = await cli(args, { NODE_EXTRA_CA_CERTS: undefined });
        expect(refused.code, refused.stdout + refused.stderr).toBe(1);
        expect(refused.stderr).toContain(
          `error: Cannot reach the registry ${registry} (its certificate is not trusted here: UNABLE_TO_VERIFY_LEAF_SIGNATURE).`,
        );
        expect(refused.stderr).toMatch(/hint: .*set NODE_EXTRA_CA_CERTS to that CA's certificate/);
        expect(refused.stderr).toContain(`/etc/docker/certs.d/127.0.0.1:${front.port}/ca.crt`);

        // The bin reads the file only when its first TLS connection needs it.
        const trusted = await cli([...args, "--json"], { NODE_EXTRA_CA_CERTS: ca.caFile });
        expect(trusted.code, trusted.stderr).toBe(0);
        expect(parseJson(trusted)).toMatchObject({ registry, tags: [bigTag], source: "registry" });
      } finally {
        await front.stop();
        await ca.remove();
      }
    });

    it("a missing tag and an unreachable registry fail with the reason and what to do", async () => {
      const missing = await cli([
        "pull",
        NAME,
        "--version",
        "no-such-tag",
        "--registry",
        `${open.host}/modelbox`,
        "--json",
      ]);
      expect(missing.code).toBe(1);
      const m = parseJson<ErrorJson>(missing);
      expect(m.error.code).toBe("IMAGE_NOT_FOUND");
      expect(m.error.hint).toContain(`modelbox-dev images --tags modelbox/${NAME}`);

      const dead = await deadRegistryHost();
      const down = await cli(["pull", NAME, "--registry", `${dead}/modelbox`]);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain(
        `error: Cannot reach the registry ${dead}/modelbox (connection refused).`,
      );
      expect(down.stderr).toMatch(/hint: .*--registry HOST\/NAMESPACE/);
    });

    it("credentials come from ~/.docker/config.json and never appear in any output", async () => {
      const auth = Buffer.from(`${user.username}:${user.password}`).toString("base64");
      const ref = `modelbox/${RUNTIME_NAME}:${tag}`;
      const registry = ["--registry", `${locked.host}/modelbox`];
      const anonymous = await cli(["pull", ref, ...registry]);
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toContain(`docker login ${locked.host}`);

      await writeFile(
        join(home, ".docker", "config.json"),
        JSON.stringify({ auths: { [locked.host]: { auth } } }),
      );
      const outputs = [
        await cli(["pull", ref, ...registry]),
        await cli(["pull", ref, ...registry, "--json"]),
        await cli(["images", "--tags", RUNTIME_NAME, ...registry, "--refresh", "--json"]),
      ];
      for (const r of outputs) expect(r.code, r.stderr).toBe(0);
      expect(parseJson(outputs[2] as CliResult)).toMatchObject({ tags: [tag] });

      await writeFile(
        join(home, ".docker", "config.json"),
        JSON.stringify({
          auths: {
            [locked.host]: {
              auth: Buffer.from(`${user.username}:wrong-${user.password}`).toString("base64"),
            },
          },
        }),
      );
      const refused = await cli(["pull", ref, ...registry]);
      expect(refused.code).toBe(1);
      outputs.push(
        refused,
        await cli(["images", "--tags", RUNTIME_NAME, ...registry, "--refresh"]),
      );
      for (const r of outputs) {
        const all = r.stdout + r.stderr;
        expect(all).not.toContain(user.password);
        expect(all).not.toContain(auth);
      }
      await rm(join(home, ".docker", "config.json"));
    });

    it("up --registry (first down) --version: starts from the mirror, records the digest; outdated sees a re-pushed tag", async () => {
      const name = uniqueName("regcli");
      const dead = await deadRegistryHost();
      const up = await cli([
        "up",
        name,
        "--version",
        tag,
        "--registry",
        `${dead}/modelbox`,
        "--registry",
        `${open.host}/modelbox`,
        ...(await loopbackPorts()).args,
        "--no-default-mounts",
        "--json",
      ]);
      expect(up.code, up.stderr).toBe(0);
      expect(parseJson(up)).toMatchObject({
        ok: true,
        action: "created",
        image: canonical(NAME, tag),
      });

      const status = parseJson<{ image: { reference: string; digest: string } }>(
        await cli(["status", name, "--json"]),
      );
      expect(status.image.reference).toBe(canonical(NAME, tag));
      expect(status.image.digest).toMatch(new RegExp(`^${open.host}/modelbox/${NAME}@sha256:`));

      const before = parseJson<{
        outdated: number;
        environments: Array<{ name: string; status: string }>;
      }>(await cli(["outdated", name, "--json"]));
      expect(before).toMatchObject({ outdated: 0, environments: [{ name, status: "current" }] });

      await pushImage(FIXTURE_RUNTIME_IMAGE, `${open.host}/modelbox/${NAME}:${tag}`);
      const after = await cli(["outdated"]);
      expect(after.code).toBe(0);
      expect(after.stdout).toMatch(
        new RegExp(
          `^${name}\\s+${canonical(NAME, tag).replace(/[.]/g, "\\.")}\\s+outdated\\s+${open.host}/modelbox now has sha256:`,
          "m",
        ),
      );
      expect(after.stderr).toContain(
        `To update ${name}: 'modelbox-dev pull ${canonical(NAME, tag)}'`,
      );
      await cli(["rm", "-f", name]);
    });

    it("Ctrl-C during a pull (pull, and up's pull) stops it cleanly: exit 130, nothing pulled or created", async () => {
      const t = uniqueTag("e2eslow");
      const local = await makeRandomImage(`${open.host}/modelbox/${RUNTIME_NAME}`, t, 8);
      await pushImage(local, local);
      // 256 kB/s: the 8 MB layer takes half a minute, so Ctrl-C lands mid-download.
      const proxy = await startSlowProxy(open.port, 256 * 1024);
      const interrupt = async (args: string[]) => {
        const child = execFile(bin, args, { env: { ...process.env, HOME: home } });
        let stderr = "";
        let stdout = "";
        child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
        child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
        const exited = new Promise<number | null>((resolve) =>
          child.on("exit", (code) => resolve(code)),
        );
        await waitFor(
          "the download to start",
          () => Promise.resolve(/: downloading/.test(stderr)),
          {
            timeoutMs: 60_000,
          },
        );
        child.kill("SIGINT");
        return { code: await exited, stderr, stdout };
      };
      try {
        const pull = await interrupt([
          "pull",
          RUNTIME_NAME,
          "--version",
          t,
          "--registry",
          `${proxy.host}/modelbox`,
        ]);
        expect(pull.code).toBe(130);
        expect(pull.stderr).toMatch(/error: Pulling .* was interrupted/);
        expect(pull.stderr).not.toContain("Pulled ");
        expect(pull.stdout).toBe("");
        expect(await present(canonical(RUNTIME_NAME, t))).toBe(false);

        const name = uniqueName("regcli");
        const up = await interrupt([
          "up",
          name,
          "--image",
          `modelbox/${RUNTIME_NAME}`,
          "--version",
          t,
          "--registry",
          `${proxy.host}/modelbox`,
          "--no-default-mounts",
        ]);
        expect(up.code).toBe(130);
        expect(up.stderr).toMatch(/error: Pulling .* was interrupted/);
        expect(await present(canonical(RUNTIME_NAME, t))).toBe(false);
        const created = await engineClient().listContainers({
          all: true,
          filters: { name: [name] },
        });
        expect(created).toEqual([]);
      } finally {
        await proxy.stop();
        await removeImagesOf(proxy.host);
      }
    });

    it("image save and image load move an image to an air-gapped host; the catalogue needs no network", async () => {
      const ref = canonical(RUNTIME_NAME, bigTag);
      const file = join(home, "images.tar.gz");
      const saved = await cli(["image", "save", ref, "-o", file, "--json"]);
      expect(saved.code, saved.stderr).toBe(0);
      expect(parseJson(saved)).toMatchObject({ ok: true, images: [ref], compressed: true });
      expect((await stat(file)).size).toBeGreaterThan(6_000_000);
      await removeImagesOf(open.host, [ref]);
      expect(await present(ref)).toBe(false);

      const loaded = await cli(["image", "load", file]);
      expect(loaded.code, loaded.stderr).toBe(0);
      expect(loaded.stdout).toBe(`Loaded ${ref}\n`);
      expect(await present(ref)).toBe(true);

      const broken = join(home, "broken.tar");
      await writeFile(broken, "not a tar file");
      const bad = await cli(["image", "load", broken, "--json"]);
      expect(bad.code).toBe(1);
      expect(parseJson<ErrorJson>(bad).error.code).toBe("IMAGE_LOAD_FAILED");

      // Offline: every configured registry down, the built-in catalogue still lists the images.
      const dead = await deadRegistryHost();
      const images = await cli(["images", "--json"], {
        MODELBOX_DEV_CONFIG: join(home, "offline.json"),
      });
      await writeFile(
        join(home, "offline.json"),
        JSON.stringify({ registries: [`${dead}/modelbox`] }),
      );
      const offline = await cli(["images", "--json"], {
        MODELBOX_DEV_CONFIG: join(home, "offline.json"),
      });
      expect(offline.code).toBe(0);
      expect(parseJson<{ images: unknown[] }>(offline).images.length).toBe(
        parseJson<{ images: unknown[] }>(images).images.length,
      );
    });
  },
);
