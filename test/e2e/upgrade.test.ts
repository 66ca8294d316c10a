/**
 * A day's work with the packed CLI: extra published ports, variables, /dev/shm and limits; an
 * upgrade to another image that keeps /root and the editor's graphs; what rm keeps. Real engine,
 * the fixture image, everything reached on 127.0.0.1.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type CliResult,
  installPackedCli,
  loopbackPorts,
  parseJson,
  runCli,
  testHomeDir,
} from "../support/cli.js";
import { describeEngine, engineClient, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";

const run = promisify(execFile);
const PREFIX = "e2edaily";
/** The fixture under a second tag: `upgrade --image` to it, no registry needed. */
const RETAGGED = `modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:fixture-retag-${process.pid}`;
const GRAPH = "/root/modelbox-service/graph";
/** Each test makes one or two environments and waits for them: generous on a shared machine. */
const SLOW = 600_000;

let bin = "";
const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runCli(bin, args, { env, timeoutMs: 300_000 });

interface UpJson {
  ok: true;
  id: string;
  ssh: { command: string; check: string };
  editor: { url: string; ready: boolean };
  settings: {
    published: Array<{ hostPort: number; containerPort: number }>;
    homeVolume?: string;
    env: string[];
    shmSizeBytes: number;
  };
}

/** A command through the printed ssh command, in an interactive login shell on a terminal. */
async function sshSession(command: string, lines: string[]): Promise<string> {
  const ssh = command.replace(/^ssh /, "ssh -tt -o BatchMode=yes ");
  const { stdout } = await run(
    "sh",
    ["-c", `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(" ")} exit | ${ssh}`],
    { env: { ...process.env, HOME: testHomeDir() }, timeout: 60_000 },
  );
  return stdout;
}

async function httpStatus(port: number): Promise<number> {
  // Bounded: a connection the port's proxy accepts before anything listens inside can hang.
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    signal: AbortSignal.timeout(2_000),
  }).catch(() => undefined);
  return res?.status ?? 0;
}

describeEngine("ports, variables, limits, upgrade and volumes with the packed CLI", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await removeContainers(PREFIX);
    const [repo, tag] = RETAGGED.split(":") as [string, string];
    await engineClient().getImage(DEVELOP_IMAGE).tag({ repo, tag });
  }, 300_000);
  afterAll(async () => {
    await removeContainers(PREFIX);
    await engineClient()
      .getImage(RETAGGED)
      .remove({ noprune: true })
      .catch(() => undefined);
  });

  it("--help of up, upgrade, rm and ls names the new options", async () => {
    const up = (await cli(["up", "--help"])).stdout;
    for (const flag of [
      "--publish",
      "--env ",
      "--env-file",
      "--shm-size",
      "--memory",
      "--cpus",
      "--ulimit",
      "--no-home-volume",
    ]) {
      expect(up, flag).toContain(flag);
    }
    expect((await cli(["upgrade", "--help"])).stdout).toMatch(/--image[\s\S]*--force/);
    expect((await cli(["rm", "--help"])).stdout).toContain("--volumes");
    expect((await cli(["ls", "--help"])).stdout).toContain("--volumes");
    // plan and script take them too; the script names variables, never their values.
    const script = await cli([
      "script",
      "box",
      "--image",
      DEVELOP_IMAGE,
      "-e",
      "TOKEN=never-printed-1",
      "-p",
      "6006:6006",
      "--shm-size",
      "2g",
      "--ulimit",
      "core=-1",
    ]);
    expect(script.code, script.stderr).toBe(0);
    expect(script.stdout).toContain("-p 6006:6006");
    expect(script.stdout).toContain("-e TOKEN");
    expect(script.stdout).toContain("--shm-size 2g");
    expect(script.stdout).not.toContain("never-printed-1");
    const plan = await cli([
      "plan",
      "box",
      "--image",
      DEVELOP_IMAGE,
      "-e",
      "TOKEN=never-printed-1",
    ]);
    expect(plan.stdout).toContain("TOKEN");
    expect(plan.stdout).not.toContain("never-printed-1");
  });

  it(
    "an extra published port answers, --env is in an SSH session, /dev/shm is as asked; status shows it",
    async () => {
      const name = uniqueName(PREFIX);
      const { args } = await loopbackPorts();
      const [extra = 0] = await freePorts(1);
      const envFile = join(mkdtempSync(join(tmpdir(), "mbdev-e2e-env-")), "team.env");
      writeFileSync(envFile, "TEAM_SETTING=from-the-file\n");
      const r = await cli(
        [
          "up",
          name,
          "--image",
          DEVELOP_IMAGE,
          ...args,
          "--no-default-mounts",
          "--pull",
          "never",
          "--no-develop-mode",
          "--publish",
          `127.0.0.1:${extra}:7000`,
          "--env",
          "MY_TOKEN",
          "--env-file",
          envFile,
          "--shm-size",
          "1g",
          "--json",
        ],
        { MY_TOKEN: "tok-from-shell-42" },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/tok-from-shell-42|from-the-file/);
      const body = parseJson<UpJson>(r);
      expect(body.settings).toMatchObject({
        published: [{ hostPort: extra, containerPort: 7000 }],
        env: ["MY_TOKEN", "TEAM_SETTING"],
        shmSizeBytes: 1024 ** 3,
        homeVolume: `modelbox-dev-home-${name}`,
      });

      // A tiny listener started inside answers on 127.0.0.1 through the published port.
      const exec = await cli([
        "exec",
        name,
        "--",
        "sh",
        "-c",
        "cd /tmp && nohup python3 -m http.server 7000 --bind 0.0.0.0 >/dev/null 2>&1 &",
      ]);
      expect(exec.code, exec.stderr).toBe(0);
      let code = 0;
      for (let i = 0; i < 40 && code !== 200; i++) {
        code = await httpStatus(extra);
        if (code !== 200) await new Promise((res) => setTimeout(res, 250));
      }
      expect(code).toBe(200);

      // The images hand PID 1's environment to SSH sessions: the variables are there.
      const session = await sshSession(body.ssh.command, [
        'echo "ENV:$MY_TOKEN:$TEAM_SETTING"',
        "df -B1 --output=size /dev/shm | tail -1",
      ]);
      expect(session).toContain("ENV:tok-from-shell-42:from-the-file");
      expect(session).toMatch(/\b1073741824\b/);

      const status = await cli(["status", name]);
      expect(status.stdout).toContain(`publish 127.0.0.1:${extra} → 7000/tcp`);
      expect(status.stdout).toContain("env     MY_TOKEN, TEAM_SETTING (values not shown)");
      expect(status.stdout).toContain("limits  shm 1g");
      expect(status.stdout).not.toContain("tok-from-shell-42");
    },
    SLOW,
  );

  it(
    "upgrade to a re-tagged image keeps /root and the editor's graphs; key login works; rm keeps the volume",
    async () => {
      const name = uniqueName(PREFIX);
      const { args, editor } = await loopbackPorts();
      const up = await cli([
        "up",
        name,
        "--image",
        DEVELOP_IMAGE,
        ...args,
        "--no-default-mounts",
        "--pull",
        "never",
        "--json",
      ]);
      expect(up.code, up.stderr).toBe(0);
      const before = parseJson<UpJson>(up);
      expect(before.editor.ready).toBe(true);
      const write = await cli([
        "exec",
        name,
        "--",
        "sh",
        "-c",
        `echo mine > /root/notes.txt && mkdir -p ${GRAPH} && echo flow > ${GRAPH}/my_flow.toml`,
      ]);
      expect(write.code, write.stderr).toBe(0);

      const upgraded = await cli(["upgrade", name, "--image", RETAGGED, "--pull", "never"]);
      expect(upgraded.code, upgraded.stderr).toBe(0);
      expect(upgraded.stdout).toContain(`${name} is upgraded`);
      expect(upgraded.stdout).toMatch(new RegExp(`from  ${DEVELOP_IMAGE.replace(/[.]/g, "\\.")}`));
      expect(upgraded.stdout).toContain(`to    ${RETAGGED}`);
      expect(upgraded.stdout).toContain("CUDA 11.2.2");
      expect(upgraded.stdout).toContain(`/root in volume modelbox-dev-home-${name}`);

      // Both files are still there, the editor answers, and the key logs in.
      const files = await cli([
        "exec",
        name,
        "--",
        "cat",
        "/root/notes.txt",
        `${GRAPH}/my_flow.toml`,
      ]);
      expect(files.stdout).toBe("mine\nflow\n");
      const editorAnswer = await fetch(`http://127.0.0.1:${editor}/editor/`, {
        signal: AbortSignal.timeout(5_000),
      }).catch(() => undefined);
      expect(editorAnswer?.status).toBe(200);
      const login = await cli(["ssh", name, "--", "echo", "logged-in-after-upgrade"]);
      expect(login.stdout.trim()).toBe("logged-in-after-upgrade");

      const json = await cli(["upgrade", name, "--image", RETAGGED, "--pull", "never", "--json"]);
      expect(parseJson<{ upgraded: boolean; from: { reference: string } }>(json)).toMatchObject({
        upgraded: false,
        from: { reference: RETAGGED },
      });

      const removed = await cli(["rm", name, "--force"]);
      expect(removed.stdout).toContain(`kept volume modelbox-dev-home-${name}`);
      const volumes = await cli(["ls", "--volumes"]);
      expect(volumes.stdout).toContain(`modelbox-dev-home-${name}`);
      // The environment is gone already: rm --volumes removes what it left.
      const gone = parseJson<{ removed: boolean; volumes: { removed: string[] } }>(
        await cli(["rm", name, "--volumes", "--json"]),
      );
      expect(gone).toMatchObject({
        removed: false,
        volumes: { removed: [`modelbox-dev-home-${name}`] },
      });
      expect((await cli(["ls", "--volumes"])).stdout).not.toContain(`modelbox-dev-home-${name}`);
      expect((await cli(["rm", name, "--volumes"])).code).toBe(1);
    },
    SLOW,
  );
});
