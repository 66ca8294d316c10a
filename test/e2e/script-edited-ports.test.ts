import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
} from "../support/cli.js";
import { describeEngine, removeContainers, uniqueName } from "../support/engine.js";
import { DEVELOP_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";

const execFileAsync = promisify(execFile);
const PREFIX = "e2escriptports";

let bin = "";
let home = "";
const cli = (args: string[]): Promise<CliResult> => runCli(bin, args, { env: { HOME: home } });

interface Ports {
  ssh?: number;
  editor?: number;
  http?: number;
}

/** The script as `script` prints it, with its port variables changed by hand. */
function editPorts(script: string, ports: Required<Ports>): string {
  return script
    .replace(/^SSH_MAP_PORT=\d+$/m, `SSH_MAP_PORT=${ports.ssh}`)
    .replace(/^EDITOR_MAP_PORT=\d+$/m, `EDITOR_MAP_PORT=${ports.editor}`)
    .replace(/^HTTP_SERVER_PORT=\d+$/m, `HTTP_SERVER_PORT=${ports.http}`);
}

describeEngine("a container from an edited script works with every command", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    await removeContainers(PREFIX);
    home = mkdtempSync(join(tmpdir(), "mbdev-e2e-home-"));
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it("ls, status, develop, up and ssh use the ports the engine publishes, not the labels'", async () => {
    const name = uniqueName(PREFIX);
    const planned = await loopbackPorts();
    const common = ["--image", DEVELOP_IMAGE, "--bind", "127.0.0.1", "--no-default-mounts"];
    const script = await cli(["script", name, ...common, ...planned.args.slice(2)]);
    expect(script.code, script.stderr).toBe(0);
    const [ssh = 0, editor = 0, http = 0] = await freePorts(3);
    const edited = { ssh, editor, http };
    const path = join(home, "start_docker.sh");
    writeFileSync(path, editPorts(script.stdout, edited));
    expect(readFileSync(path, "utf8")).toContain(`io.modelbox-dev.ports=ssh=${planned.ssh}`);
    await execFileAsync("bash", [path]);

    const ls = parseJson<{ environments: Array<{ name: string; ports: Ports }> }>(
      await cli(["ls", "--json"]),
    );
    expect(ls.environments.find((e) => e.name === name)?.ports).toEqual(edited);

    // Developer mode on, through the edited editor port.
    const develop = await cli(["develop", name, "--timeout", "60", "--json"]);
    expect(develop.code, develop.stderr).toBe(0);
    const developed = parseJson<{ editor: { url: string; ready: boolean } }>(develop);
    expect(developed.editor).toMatchObject({
      url: `http://127.0.0.1:${editor}/editor/`,
      ready: true,
    });
    expect((await fetch(developed.editor.url)).status).toBe(200);

    // `up` with the same options (no ports given) adopts it: same environment, its own ports.
    const upAgain = await cli(["up", name, ...common, "--pull", "never", "--json"]);
    expect(upAgain.code, upAgain.stderr).toBe(0);
    const upped = parseJson<{ action: string; ports: Ports; ssh: { port: number; check: string } }>(
      upAgain,
    );
    expect(upped.action).toBe("already-running");
    expect(upped.ports).toEqual(edited);
    expect(upped.ssh).toMatchObject({ port: ssh, check: "key-login" });

    const status = parseJson<{ ports: Ports; ssh: { port: number; ready: boolean } }>(
      await cli(["status", name, "--json"]),
    );
    expect(status.ports).toEqual(edited);
    expect(status.ssh).toMatchObject({ port: ssh, ready: true });

    const login = await cli(["ssh", name, "--", "echo", "logged-in-on-the-edited-port"]);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout.trim()).toBe("logged-in-on-the-edited-port");

    // Asking for the script's original ports is a change of options, said as one.
    const other = await cli(["up", name, ...common, ...planned.args.slice(2), "--pull", "never"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`${ssh}->22`);

    expect((await cli(["rm", "--force", name])).code).toBe(0);
  });
});
