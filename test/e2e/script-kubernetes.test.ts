import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { type CliResult, installPackedCli, runCli } from "../support/cli.js";
import { describeEngine } from "../support/engine.js";

const FACTS_1809 = fileURLToPath(
  new URL("../fixtures/facts/docker-18.09-nvidia-runtime-2gpu.json", import.meta.url),
);

/**
 * `script --target kubernetes` as a user runs it. It probes nothing on this machine, so no
 * engine is needed: DOCKER_HOST points nowhere to prove it. Nothing is applied to a cluster.
 */
let bin = "";
const noEngine = { DOCKER_HOST: "unix:///nonexistent/modelbox-dev-test.sock" };

function freshHome(): string {
  return mkdtempSync(join(tmpdir(), "mbdev-k8s-home-"));
}

const cli = (args: string[], home: string): Promise<CliResult> =>
  runCli(bin, args, { env: { ...noEngine, HOME: home } });

function objects(text: string): Array<Record<string, unknown> & { kind: string }> {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error("not a YAML stream");
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS() as Record<string, unknown> & { kind: string });
}

describe("script --target kubernetes (packed CLI, no engine, no cluster)", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
  });

  it("prints manifests with the environment's own key, and how to reach it", async () => {
    const home = freshHome();
    const r = await cli(
      ["script", "kbox", "--target", "kubernetes", "--explain", "--gpus", "2", "--namespace", "ml"],
      home,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const kinds = objects(r.stdout).map((o) => o.kind);
    expect(kinds).toEqual([
      "Secret",
      "ConfigMap",
      "PersistentVolumeClaim",
      "Service",
      "Deployment",
    ]);
    expect(r.stdout).toContain("nvidia.com/gpu: 2");
    // The key pair `up` would make for this name, generated once and reused.
    const keyDir = join(home, ".modelbox-dev", "environments", "kbox");
    const publicKey = readFileSync(join(keyDir, "id_ed25519.pub"), "utf8").trim();
    const secret = objects(r.stdout).find((o) => o.kind === "Secret") as unknown as {
      stringData: { authorized_keys: string };
    };
    expect(secret.stringData.authorized_keys.trim()).toBe(publicKey);
    expect(r.stdout).toContain(`ssh -i ${join(keyDir, "id_ed25519")} -p 50022`);
    expect(r.stdout).toContain(
      "kubectl -n ml port-forward deployment/kbox 50022:22 1104:1104 8080:8080",
    );
    const again = await cli(["script", "kbox", "--target", "kubernetes"], home);
    expect(again.stdout).toContain(publicKey);
  });

  it("--ssh-key installs the user's public key instead", async () => {
    const home = freshHome();
    const pub = join(home, "id_test.pub");
    const line =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVzZXIga2V5IGZvciB0aGUgazhzIHRlc3Q user@laptop";
    writeFileSync(pub, `${line}\n`);
    const r = await cli(["script", "kbox", "--target", "kubernetes", "--ssh-key", pub], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`authorized_keys: |\n    ${line}\n`);
    expect(existsSync(join(home, ".modelbox-dev", "environments", "kbox"))).toBe(false);
  });

  it("refuses what cannot work, with a hint, and leaves no key behind", async () => {
    const home = freshHome();
    const all = await cli(["script", "gbox", "--target", "kubernetes", "--gpus", "all"], home);
    expect(all.code).not.toBe(0);
    expect(all.stderr).toContain("--gpus 2");
    const custom = await cli(
      [
        "script",
        "nbox",
        "--target",
        "kubernetes",
        "--image",
        "registry.example.com/team/npu:1",
        "--kind",
        "develop",
        "--npu",
        "1",
      ],
      home,
    );
    expect(custom.code).not.toBe(0);
    expect(custom.stderr).toContain("--k8s-npu-type");
    expect(existsSync(join(home, ".modelbox-dev", "environments", "nbox"))).toBe(false);
    const shell = await cli(["script", "sbox", "--namespace", "ml", "--facts", FACTS_1809], home);
    expect(shell.code).not.toBe(0);
    expect(shell.stderr).toContain("--target kubernetes");
    const facts = await cli(
      ["script", "fbox", "--target", "kubernetes", "--facts", FACTS_1809],
      home,
    );
    expect(facts.code).not.toBe(0);
    expect(facts.stderr).toContain("--k8s-cgroup");
  });
});

// plan and the docker script look for an existing environment of the name: they need the engine.
describeEngine("plan and script --cpus/--memory (packed CLI)", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
  });

  it("plan and the docker script take --cpus and --memory too", async () => {
    const home = freshHome();
    const args = ["--facts", FACTS_1809, "--cpus", "2", "--memory", "8g"];
    const plan = await runCli(bin, ["plan", "cbox", ...args], { env: { HOME: home } });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^ {2}cpus +2$/m);
    expect(plan.stdout).toMatch(/^ {2}memory +8g$/m);
    const script = await runCli(bin, ["script", "cbox", ...args], { env: { HOME: home } });
    expect(script.stdout).toMatch(/^ {2}--cpus 2$/m);
    expect(script.stdout).toMatch(/^ {2}--memory 8g$/m);
  });
});
