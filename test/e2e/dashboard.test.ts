/// <reference lib="dom" />
/**
 * The dashboard as a user meets it: the packed CLI serves it, Debian's chromium shows it, and
 * every action reaches the real engine with the fixture image.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { installPackedCli, parseJson, runCli } from "../support/cli.js";
import { DESKTOP, PHONE, launchBrowser, screenshot } from "../support/browser.js";
import { type RunningDashboard, startDashboard } from "../support/dashboard.js";
import {
  containerExists,
  describeEngine,
  engineClient,
  execIn,
  removeContainers,
  uniqueName,
  waitFor,
} from "../support/engine.js";
import { DEVELOP_IMAGE, freePorts, tagFixtures } from "../support/fixture-names.js";
import {
  type TestRegistry,
  makeRandomImage,
  pushImage,
  removeImagesOf,
  startRegistry,
  uniqueTag,
} from "../support/registry.js";

/** The catalogue's image for a host without GPU; the develop fixture stands in for it. */
const CHOSEN_IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
/** The fixture under a second tag: what the environment is upgraded to, with no registry. */
const RETAGGED = `modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:fixture-dash-${process.pid}`;
/** Bounds on waiting (a systemd image booting on a busy machine), not assertions on speed. */
const CREATE_TIMEOUT_MS = 480_000;

let bin = "";
let home = "";
let dashboard: RunningDashboard;
let browser: BrowserContext;
let page: Page;
let registry: TestRegistry;
/** A catalogue image the engine did not have, which the Host page pulls from `registry`. */
let pulled: string | undefined;
const name = uniqueName("dash");
/** Made by someone else (owner label), created and never started: it holds a GPU and a chip. */
const theirs = uniqueName("dash");
const OTHER_OWNER = `alice-${process.pid}`;
/** Who the dashboard (and the CLI) runs as: the owner of what it makes. */
const ME = process.env.SUDO_USER?.trim() || userInfo().username;
/** Values of variables: secrets, never to be shown back or logged. */
const SECRET = `value-of-${name}`;
const FILE_SECRET = `file-value-${name}`;
/** An image on a registry nobody answers on. */
/** Someone else's too, running (a plain process, not systemd: it only has to run and stop). */
const theirsRunning = uniqueName("dash");
/** A GPU named by its UUID, as nvidia-smi writes them (there is no GPU here). */
const OTHER_GPU_UUID = "GPU-8f6b2c1a-3d4e-5f60-7182-93a4b5c6d7e8";
const UNREACHABLE = `127.0.0.1:9/modelbox/mbdev-unreachable:${process.pid}`;

const env = () => ({ ...process.env, HOME: home });

/** The page's text for a row of the environment list. */
const row = (p: Page, environment: string) => p.locator(`tr[data-name="${environment}"]`);

async function open(hash: string): Promise<void> {
  await page.goto(`${dashboard.origin}/${hash}`);
  await page.locator("#page-title").waitFor();
}

async function terminalText(p: Page): Promise<string> {
  return (await p.locator(".xterm-rows").textContent()) ?? "";
}

describeEngine("the dashboard in a real browser", () => {
  beforeAll(async () => {
    bin = await installPackedCli();
    await tagFixtures();
    const [repo, tag] = CHOSEN_IMAGE.split(":") as [string, string];
    await engineClient().getImage(DEVELOP_IMAGE).tag({ repo, tag });
    const [newRepo, newTag] = RETAGGED.split(":") as [string, string];
    await engineClient().getImage(DEVELOP_IMAGE).tag({ repo: newRepo, tag: newTag });
    await removeContainers("dash");
    // The dashboard writes ssh keys and an ~/.ssh/config entry: never the real user's.
    home = mkdtempSync(join(tmpdir(), "mbdev-dash-home-"));
    // Pulls go to a registry of the test's own, named in the dashboard's config file.
    registry = await startRegistry();
    mkdirSync(join(home, ".modelbox-dev"), { recursive: true });
    writeFileSync(
      join(home, ".modelbox-dev", "config.json"),
      JSON.stringify({ registries: [`${registry.host}/modelbox`] }),
    );
    dashboard = await startDashboard(bin, ["--port", "0"], env());
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  // What the page showed when a test failed, beside the other screenshots.
  afterEach(async (context) => {
    if (context.task.result?.state === "fail" && page) {
      await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, "-")}`);
      console.error(`dashboard's stderr:\n${dashboard?.stderr() ?? ""}`);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.interrupt();
    await removeContainers("dash");
    await engineClient()
      .getImage(RETAGGED)
      .remove({ noprune: true })
      .catch(() => undefined);
    if (registry) {
      await removeImagesOf(registry.host, pulled ? [pulled] : []);
      await registry.stop();
    }
  });

  it("admits only its token: 401 without it, and no WebSocket from another origin", async () => {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const page401 = await fetch(`${dashboard.origin}/`);
    expect(page401.status).toBe(401);
    const api401 = await fetch(`${dashboard.origin}/api/environments`);
    expect(api401.status).toBe(401);
    expect(((await api401.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");

    const first = await fetch(dashboard.url, { redirect: "manual" });
    const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toContain(dashboard.token);
    const socketStatus = (origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${dashboard.origin.replace("http", "ws")}/ws/environments`, {
          headers: { cookie, origin },
        });
        ws.on("unexpected-response", (req, res) => {
          req.destroy();
          resolve(res.statusCode ?? 0);
        });
        ws.on("open", () => {
          ws.close();
          resolve(101);
        });
        ws.on("error", () => undefined);
      });
    expect(await socketStatus("http://evil.example")).toBe(403);
    expect(await socketStatus(dashboard.origin)).toBe(101);
  });

  it("opens from the printed URL, keeps the token out of the address bar, and lists environments", async () => {
    await page.goto(dashboard.url);
    await page.getByRole("heading", { level: 1, name: "Environments" }).waitFor();
    expect(page.url()).toBe(`${dashboard.origin}/`);
    await page.getByText("Live: changes appear").waitFor();
    await screenshot(page, "environments-desktop");
  });

  it("shows an error with the CLI's own message and hint", async () => {
    await open("#/create");
    await page.getByLabel("Name").fill("bad name!");
    await page.getByRole("button", { name: "Show plan" }).click();
    const shown = page.getByRole("alert");
    await shown.waitFor();
    const cli = parseJson<{ error: { message: string; hint: string } }>(
      await runCli(bin, ["plan", "bad name!", "--json"], { env: { HOME: home } }),
    ).error;
    const text = (await shown.textContent()) ?? "";
    expect(text).toContain(cli.message);
    expect(text).toContain(cli.hint);
    await screenshot(page, "create-error-desktop");
  });

  it(
    "creates an environment through the form: plan and script first, then progress to running",
    async () => {
      await page.getByRole("link", { name: "Create", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Create an environment" }).waitFor();
      const [ssh, editor, http, extra] = await freePorts(4);
      await page.getByLabel("Name").fill(name);
      // The catalogue says which images fit this host, and which are here already.
      await page
        .locator("#f-image option", { hasText: CHOSEN_IMAGE })
        .waitFor({ state: "attached" });
      await page.getByLabel("Image", { exact: true }).selectOption(CHOSEN_IMAGE);
      await expect.poll(() => page.locator("#f-image-help").textContent()).toMatch(/^Usable: /);
      await page.getByLabel("SSH port").fill(String(ssh));
      await page.getByLabel("Editor port").fill(String(editor));
      await page.getByLabel("HTTP port").fill(String(http));
      await page.getByLabel("Publish on address").fill("127.0.0.1");
      await page.getByLabel("More published ports").fill(`127.0.0.1:${extra}:6006`);
      await page.getByLabel("Variables", { exact: true }).fill(`DASH_VARIABLE=${SECRET}`);
      const envFile = join(home, "dash.env");
      writeFileSync(envFile, `DASH_FILE_VARIABLE=${FILE_SECRET}\n`);
      await page.getByLabel("Variable files").fill(envFile);
      await page.getByLabel("Shared memory (/dev/shm)").fill("256m");
      await page.getByLabel("Process limits").fill("nofile=4096:8192");
      await page.getByLabel("Restart policy").selectOption("on-failure");
      await page.getByLabel(/Keep \/home and \/opt\/modelbox/).uncheck();
      expect(await page.getByRole("button", { name: "Create", exact: true }).isDisabled()).toBe(
        true,
      );

      await page.getByRole("button", { name: "Show plan" }).click();
      const plan = page.locator("section.plan");
      await plan.getByRole("heading", { name: `Plan for ${name}` }).waitFor();
      await expect(plan.textContent()).resolves.toContain(`127.0.0.1:${ssh} → 22`);
      await plan.getByText("The equivalent script").click();
      const script = (await plan.locator("pre").textContent()) ?? "";
      expect(script).toContain("docker run");
      // The new options are in the plan and the script; variables by name, never their values.
      expect(script).toMatch(/--shm-size 256m/);
      expect(script).toMatch(/--ulimit nofile=4096:8192/);
      expect(script).toMatch(/--restart on-failure/);
      expect(script).toContain(`--env-file ${envFile}`);
      await expect(plan.getByTestId("plan-variables").textContent()).resolves.toBe(
        "DASH_FILE_VARIABLE, DASH_VARIABLE (from " + envFile + " too); values not shown",
      );
      await expect(plan.getByTestId("plan-shm").textContent()).resolves.toBe("256m");
      const planText = (await plan.textContent()) ?? "";
      expect(planText).not.toContain(SECRET);
      expect(planText).not.toContain(FILE_SECRET);
      expect(await containerExists(name)).toBe(false);
      await screenshot(page, "create-plan-desktop");

      await page.getByRole("button", { name: "Create", exact: true }).click();
      const result = page.locator("section.result");
      await result.getByRole("heading", { name: `${name} is running` }).waitFor({
        timeout: CREATE_TIMEOUT_MS,
      });
      const steps = await page.locator("ol.steps li").allTextContents();
      expect(steps.length).toBeGreaterThan(1);
      expect(steps.join("\n")).toMatch(/Starting/);
      await expect(result.locator(".ssh-command").textContent()).resolves.toMatch(/^ssh /);
      const vscode = await result.getByRole("link", { name: /VS Code/ }).getAttribute("href");
      expect(vscode).toMatch(/^vscode:\/\/vscode-remote\/ssh-remote\+[^/]+\/root$/);
      await expect(
        result.getByRole("link", { name: /\/editor\/$/ }).getAttribute("href"),
      ).resolves.toBe(`http://127.0.0.1:${editor}/editor/`);
      await screenshot(page, "create-done-desktop");
      // The extra port and the variable reached the container.
      const created = await engineClient().getContainer(name).inspect();
      const bindings = created.HostConfig.PortBindings as
        Record<string, Array<{ HostPort: string }> | undefined> | undefined;
      expect(bindings?.["6006/tcp"]?.[0]?.HostPort).toBe(String(extra));
      expect(created.Config.Env).toContain(`DASH_VARIABLE=${SECRET}`);
      expect(created.Config.Env).toContain(`DASH_FILE_VARIABLE=${FILE_SECRET}`);
      expect(created.HostConfig.ShmSize).toBe(256 * 1024 * 1024);
      expect(created.HostConfig.Ulimits).toEqual([{ Name: "nofile", Soft: 4096, Hard: 8192 }]);
      expect(created.HostConfig.RestartPolicy?.Name).toBe("on-failure");
      const shm = await execIn(engineClient().getContainer(name), ["df", "-k", "/dev/shm"]);
      expect(shm.stdout.trim().split("\n").at(-1)?.split(/\s+/)[1]).toBe(String(256 * 1024));
      // The values were never shown back, nor logged by the dashboard.
      const shown = (await page.locator("main").textContent()) ?? "";
      for (const secret of [SECRET, FILE_SECRET]) {
        expect(shown).not.toContain(secret);
        expect(dashboard.stdout() + dashboard.stderr()).not.toContain(secret);
      }
      // The ssh config entry went into the dashboard's HOME.
      expect(readFileSync(join(home, ".ssh", "config"), "utf8")).toContain(name);
    },
    CREATE_TIMEOUT_MS + 60_000,
  );

  it("shows one environment: live CPU and memory, log lines, and a terminal that runs commands", async () => {
    await page
      .locator("section.result")
      .getByRole("link", { name: `Open ${name}` })
      .click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await expect.poll(() => page.getByTestId("state").textContent()).toBe("running");
    await page.locator('[data-stat="cpu"]').waitFor();
    await expect(page.locator('[data-stat="memory"]').textContent()).resolves.toMatch(
      /\d+ MiB of \d+ MiB/,
    );
    await expect
      .poll(async () => ((await page.locator(".log-view").textContent()) ?? "").trim().length, {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);

    // Search keeps the lines that contain the words, and says how many of all match.
    const logView = page.locator(".log-view");
    const search = page.getByLabel("Search the log");
    const logLines = ((await logView.textContent()) ?? "").split("\n").filter((l) => l.trim());
    const word = (logLines.at(-1) ?? "").trim().split(/\s+/).at(-1) ?? "";
    await search.fill(word);
    await expect
      .poll(() => page.getByText(/\d+ of \d+ lines match/).textContent())
      .toMatch(/^[1-9]/);
    const matching = ((await logView.textContent()) ?? "").split("\n");
    expect(matching.every((l) => l.toLowerCase().includes(word.toLowerCase()))).toBe(true);
    await search.fill(`no-such-line-${name}`);
    await expect.poll(() => logView.textContent()).toBe("");
    await search.fill("");

    // The whole log as a file (the browser's cookie goes along, as with a click).
    const href = await page.getByRole("link", { name: "Download log" }).getAttribute("href");
    const download = await page.request.get(`${dashboard.origin}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename=".+\.log"$/);
    expect((await download.text()).length).toBeGreaterThan(0);

    await page.getByRole("button", { name: "Open a terminal" }).click();
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor();
    await page.locator(".xterm").click();
    await page.keyboard.type('echo dash-$((6*7)) in $(hostname) with "$DASH_VARIABLE"');
    await page.keyboard.press("Enter");
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain("dash-42 in");
    // The variable set in the Create form is there for the shell.
    await expect.poll(() => terminalText(page)).toContain(`with ${SECRET}`);
    await screenshot(page, "environment-desktop");
    await page.getByRole("button", { name: "Close terminal" }).click();
  });

  it("shows developer mode and turns it on from the environment's page", async () => {
    const stopped = await runCli(bin, ["develop", name, "--stop", "--json"], { env: env() });
    expect(stopped.code, stopped.stderr).toBe(0);
    await open("#/");
    await open(`#/env/${name}`);
    const mode = page.getByTestId("developer-mode");
    await expect.poll(() => mode.textContent(), { timeout: 30_000 }).not.toBe("on");
    await page.getByRole("button", { name: "Turn developer mode on" }).click();
    await page.getByRole("status").filter({ hasText: "Developer mode is on." }).waitFor({
      timeout: 180_000,
    });
    await expect.poll(() => mode.textContent(), { timeout: 30_000 }).toBe("on");
  }, 240_000);

  it("stops and starts it from its page, each answer arriving through the engine's events", async () => {
    await page.getByRole("button", { name: `Stop ${name}` }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.textContent()).resolves.toMatch(/Kept:.*host directories/);
    await dialog.getByRole("button", { name: "Stop", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("state").textContent(), { timeout: 60_000 })
      .toBe("exited");
    await page.getByRole("button", { name: `Start ${name}` }).click();
    await expect
      .poll(() => page.getByTestId("state").textContent(), { timeout: 60_000 })
      .toBe("running");
  });

  it("the list follows changes made elsewhere, without a reload", async () => {
    await open("#/");
    await expect.poll(() => row(page, name).locator(".state").textContent()).toBe("running");
    await engineClient().getContainer(name).stop({ t: 5 });
    await expect
      .poll(() => row(page, name).locator(".state").textContent(), { timeout: 60_000 })
      .toBe("exited");
    await row(page, name)
      .getByRole("button", { name: `Start ${name}` })
      .click();
    await expect
      .poll(() => row(page, name).locator(".state").textContent(), { timeout: 60_000 })
      .toBe("running");
  });

  it("shows who made each environment and the GPUs and chips it holds; 'Mine only' hides others'", async () => {
    // Someone else's, as the engine reports it: a GPU by index and one by UUID, an Ascend chip.
    await engineClient().createContainer({
      name: theirs,
      Image: DEVELOP_IMAGE,
      Labels: {
        "io.modelbox-dev.managed": "true",
        "io.modelbox-dev.name": theirs,
        "io.modelbox-dev.owner": OTHER_OWNER,
      },
      HostConfig: {
        DeviceRequests: [
          { Driver: "", Count: 0, DeviceIDs: ["0", OTHER_GPU_UUID], Capabilities: [["gpu"]] },
        ],
        Devices: [
          {
            PathOnHost: "/dev/davinci0",
            PathInContainer: "/dev/davinci0",
            CgroupPermissions: "rwm",
          },
        ],
      },
    });
    await open("#/");
    const cell = (environment: string, label: string) =>
      row(page, environment).locator(`[data-label="${label}"]`);
    await expect.poll(() => cell(theirs, "Owner").textContent()).toBe(OTHER_OWNER);
    await expect.poll(() => cell(name, "Owner").textContent()).toBe(ME);
    // What `ls --json` says it holds, as the library reports it (no nvidia-smi here: the UUID
    // stays an id).
    const listed = parseJson<{
      environments: Array<{ name: string; accelerators: { gpus: unknown[]; npuChips: number[] } }>;
    }>(await runCli(bin, ["ls", "--all", "--json"], { env: env() }));
    const held = listed.environments.find((e) => e.name === theirs)?.accelerators;
    expect(held?.gpus).toEqual([
      { id: "0", index: 0 },
      { id: OTHER_GPU_UUID, uuid: OTHER_GPU_UUID },
    ]);
    expect(held?.npuChips).toEqual([0]);
    await expect(cell(theirs, "GPUs / NPUs").textContent()).resolves.toBe(
      `GPU 0, ${OTHER_GPU_UUID.slice(0, 12)}; NPU 0`,
    );
    await expect(cell(name, "GPUs / NPUs").textContent()).resolves.toBe("none");
    await screenshot(page, "environments-owners-desktop");

    await page.getByLabel("Mine only").check();
    await row(page, theirs).waitFor({ state: "detached" });
    await row(page, name).waitFor();
    await page.getByLabel("Mine only").uncheck();
    await row(page, theirs).waitFor();
  });

  it("stopping or removing someone else's environment shows the library's refusal, then asks whose it is and forces", async () => {
    const other = await engineClient().createContainer({
      name: theirsRunning,
      Image: DEVELOP_IMAGE,
      Entrypoint: ["sleep", "infinity"],
      Labels: {
        "io.modelbox-dev.managed": "true",
        "io.modelbox-dev.name": theirsRunning,
        "io.modelbox-dev.owner": OTHER_OWNER,
      },
      HostConfig: { Init: true },
    });
    await other.start();
    await open("#/");
    await expect
      .poll(() => row(page, theirsRunning).locator(".state").textContent())
      .toBe("running");

    // Stop: refused with the CLI's own words, then a confirm that names the owner, then force.
    await row(page, theirsRunning)
      .getByRole("button", { name: `Stop ${theirsRunning}` })
      .click();
    await page.getByRole("dialog").getByRole("button", { name: "Stop", exact: true }).click();
    const stopRefusal = row(page, theirsRunning).getByRole("alert");
    await stopRefusal.waitFor();
    const stopCli = parseJson<{ error: { code: string; message: string; hint: string } }>(
      await runCli(bin, ["stop", theirsRunning, "--json"], { env: env() }),
    ).error;
    expect(stopCli.code).toBe("NOT_OWNER");
    const stopText = (await stopRefusal.textContent()) ?? "";
    expect(stopText).toContain(stopCli.message);
    expect(stopText).toContain(stopCli.hint);
    expect((await other.inspect()).State.Running).toBe(true);
    await screenshot(page, "not-owner-desktop");
    await row(page, theirsRunning)
      .getByRole("button", { name: `Stop ${theirsRunning} anyway…` })
      .click();
    const ask = page.getByRole("dialog");
    await expect(ask.getByRole("heading").textContent()).resolves.toBe(
      `${theirsRunning} belongs to ${OTHER_OWNER}`,
    );
    // The safe answer has the focus.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await ask.getByRole("button", { name: "Stop anyway" }).click();
    await expect
      .poll(() => row(page, theirsRunning).locator(".state").textContent(), { timeout: 60_000 })
      .toBe("exited");

    // Remove, from its page: the same refusal and question.
    await open(`#/env/${theirs}`);
    await expect.poll(() => page.getByTestId("owner").textContent()).toBe(OTHER_OWNER);
    await page.getByRole("button", { name: `Remove ${theirs}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove", exact: true }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "NOT_OWNER" });
    await refusal.waitFor();
    const rmCli = parseJson<{ error: { message: string; hint: string } }>(
      await runCli(bin, ["rm", theirs, "--json"], { env: env() }),
    ).error;
    const text = (await refusal.textContent()) ?? "";
    expect(text).toContain(rmCli.message);
    expect(text).toContain(rmCli.hint);
    expect(await containerExists(theirs)).toBe(true);
    await page.getByRole("button", { name: `Remove ${theirs} anyway…` }).click();
    await expect(page.getByRole("dialog").textContent()).resolves.toContain(
      `belongs to ${OTHER_OWNER}`,
    );
    await page.getByRole("dialog").getByRole("button", { name: "Remove anyway" }).click();
    // Gone: the page goes back to the list, which no longer has it.
    await page.getByRole("heading", { level: 1, name: "Environments" }).waitFor();
    await row(page, theirs).waitFor({ state: "detached", timeout: 60_000 });
    expect(await containerExists(theirs)).toBe(false);
  });

  it(
    "upgrades it to another image from its page: the steps as they happen, then what changed; /root is kept",
    async () => {
      const marker = `kept-${name}`;
      const before = engineClient().getContainer(name);
      await execIn(before, ["sh", "-c", `echo ${marker} > /root/upgrade-marker`]);
      await open(`#/env/${name}`);
      await page.getByRole("button", { name: `Upgrade ${name}` }).click();
      const dialog = page.getByRole("dialog");
      await expect(dialog.textContent()).resolves.toMatch(/Kept:.*\/root/);
      // --version: the environment's image with another tag (the fixture, tagged again).
      await dialog.getByLabel("New image").waitFor();
      await dialog.getByLabel("Release tag").fill(RETAGGED.split(":")[1] ?? "");
      await dialog.getByLabel("Registries or mirrors").fill(`${registry.host}/modelbox`);
      await dialog.getByLabel("Pull").selectOption("missing");
      await dialog.getByRole("button", { name: "Upgrade", exact: true }).click();
      const outcome = page.getByRole("status").filter({ hasText: `${name} upgraded:` });
      await outcome.waitFor({ timeout: CREATE_TIMEOUT_MS });
      await expect(outcome.textContent()).resolves.toContain(RETAGGED);
      expect(await page.locator("section.upgrade ol.steps li").count()).toBeGreaterThan(1);
      await screenshot(page, "upgrade-done-desktop");
      await expect
        .poll(() => page.getByTestId("state").textContent(), { timeout: 60_000 })
        .toBe("running");
      // The page now shows the new container: its image, and its own CPU and memory.
      await expect
        .poll(() => page.locator("dl.details").textContent(), { timeout: 30_000 })
        .toContain(RETAGGED);
      await expect
        .poll(() => page.locator('[data-stat="memory"]').textContent(), { timeout: 30_000 })
        .toMatch(/^[1-9]\d* MiB of \d+ MiB/);
      const after = engineClient().getContainer(name);
      expect((await after.inspect()).Config.Image).toBe(RETAGGED);
      expect((await execIn(after, ["cat", "/root/upgrade-marker"])).stdout.trim()).toBe(marker);
      await page.getByRole("button", { name: "Dismiss" }).click();
      await page.locator("section.upgrade").waitFor({ state: "detached" });
    },
    CREATE_TIMEOUT_MS + 60_000,
  );

  it("is usable with the keyboard: every field labelled, focus in reading order, dialogs cancel with Escape", async () => {
    await open("#/create");
    const unlabelled = await page.$$eval("input, select, textarea, button", (elements) =>
      elements
        .filter((e) => {
          const field = e as HTMLInputElement;
          const named =
            (field.labels?.length ?? 0) > 0 ||
            e.getAttribute("aria-label") ||
            (e.tagName === "BUTTON" && e.textContent?.trim());
          return !named;
        })
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);

    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const order: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      order.push(
        await page.evaluate(() => {
          const e = document.activeElement as HTMLElement | null;
          return e?.id || e?.getAttribute("href") || e?.textContent?.trim() || e?.tagName || "";
        }),
      );
    }
    const expected = [
      "#/",
      "#/create",
      "#/host",
      "f-name",
      "f-image",
      "f-custom",
      "f-gpus",
      "f-npu",
      "f-debug",
      "f-mounts",
      "f-sshPort",
      "f-editorPort",
      "f-httpPort",
      "f-bind",
      "f-publish",
      "f-env",
      "f-envFile",
      "f-memory",
      "f-cpus",
      "f-shmSize",
      "f-ulimit",
      "f-restart",
      "Show plan",
    ];
    const positions = expected.map((id) => order.indexOf(id));
    expect(
      positions.every((p) => p >= 0),
      `focus order: ${order.join(" → ")}`,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The skip link comes before the navigation.
    expect(order[0]).toBe("#main");

    await open("#/");
    const removeButton = row(page, name).getByRole("button", { name: `Remove ${name}` });
    // The focus must be on the button when Enter goes: once in CI it was not (the page showed no
    // focus and no dialog; not reproduced with containers made and removed beside the page).
    for (let tries = 0; ; tries++) {
      await removeButton.focus();
      const focused = await page.evaluate(() => document.activeElement?.getAttribute("aria-label"));
      if (focused === `Remove ${name}` || tries >= 20) break;
      await page.waitForTimeout(100);
    }
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    // The safe answer has the focus; Escape closes without doing anything.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await containerExists(name)).toBe(true);
  });

  it("pulls a catalogue image from the Host page, with a progress bar, and then lists it as present", async () => {
    const catalogue = (await (
      await fetch(`${dashboard.origin}/api/images`, {
        headers: { authorization: `Bearer ${dashboard.token}` },
      })
    ).json()) as { images: Array<{ reference: string; arch: string; present: boolean | null }> };
    // One nobody here has: an aarch64 image on this x86_64 host; its layer is random bytes.
    const target = catalogue.images.find((i) => i.present === false && i.arch === "aarch64");
    expect(target, "a catalogue image absent from the engine").toBeDefined();
    const reference = target?.reference ?? "";
    const local = await makeRandomImage(`${registry.host}/mbdev-dash-random`, uniqueTag("pull"), 4);
    await pushImage(local, `${registry.host}/${reference}`);
    await removeImagesOf(registry.host);
    pulled = reference;

    await open("#/host");
    const row = page.locator("table.catalogue tr", { hasText: reference });
    await expect.poll(() => row.locator('[data-label="Present"]').textContent()).toBe("no");
    // Whether a progress bar showed, however short the pull.
    await page.evaluate(() => {
      const seen = { bar: false };
      (window as unknown as { seenProgress: typeof seen }).seenProgress = seen;
      new MutationObserver(() => {
        if (document.querySelector("table.catalogue progress")) seen.bar = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await row.getByRole("button", { name: `Pull ${reference}` }).click();
    await expect
      .poll(() => row.locator('[data-label="Present"]').textContent(), { timeout: 120_000 })
      .toBe("yes");
    expect(
      await page.evaluate(
        () => (window as unknown as { seenProgress: { bar: boolean } }).seenProgress.bar,
      ),
    ).toBe(true);
    expect(await engineClient().getImage(reference).inspect()).toBeTruthy();
  });

  it("a pull that fails shows the CLI's message and hint and a bar marked failed, on the Host page and in Create", async () => {
    const cli = parseJson<{ error: { code: string; message: string; hint: string } }>(
      await runCli(bin, ["pull", UNREACHABLE, "--json"], { env: env() }),
    ).error;
    expect(cli.code).toBe("REGISTRY_UNREACHABLE");

    await open("#/host");
    await page.getByLabel("Image to pull").fill(UNREACHABLE);
    await page.getByRole("button", { name: "Pull", exact: true }).click();
    const form = page.locator("form.pull-any");
    const shown = form.getByRole("alert");
    await shown.waitFor({ timeout: 60_000 });
    const text = (await shown.textContent()) ?? "";
    expect(text).toContain(cli.message);
    expect(text).toContain(cli.hint);
    const bar = form.locator(".pull-progress");
    await expect(bar.getAttribute("data-state")).resolves.toBe("failed");
    await expect(bar.locator("label").textContent()).resolves.toContain("failed");
    await expect(bar.locator("progress").getAttribute("aria-invalid")).resolves.toBe("true");
    expect(await form.textContent()).not.toContain("Done");
    await screenshot(page, "pull-failed-desktop");

    await open("#/create");
    await page.getByLabel("Name").fill(`${name}-unpulled`);
    await page.getByLabel("Other image (optional)").fill(UNREACHABLE);
    await page.getByRole("button", { name: "Show plan" }).click();
    await page.locator("section.plan").waitFor();
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const failed = page.getByRole("alert").filter({ hasText: "Create failed" });
    await failed.waitFor({ timeout: 60_000 });
    const failedText = (await failed.textContent()) ?? "";
    expect(failedText).toContain(cli.message);
    expect(failedText).toContain(cli.hint);
    const createBar = page.locator("section.progress .pull-progress");
    await expect(createBar.getAttribute("data-state")).resolves.toBe("failed");
    expect(await page.locator("section.progress").textContent()).not.toContain("Done");
    // The step that pulled says it failed; none is left looking under way.
    expect(await page.locator("section.progress li.step-failed").count()).toBeGreaterThan(0);
    expect(await page.locator("section.progress li.step-started").count()).toBe(0);
    expect(await containerExists(`${name}-unpulled`)).toBe(false);
    await screenshot(page, "create-pull-failed-desktop");
  });

  it("the upgrade dialog offers the CLI's upgrade options, labelled", async () => {
    await open(`#/env/${name}`);
    await page.getByRole("button", { name: `Upgrade ${name}` }).click();
    const dialog = page.getByRole("dialog");
    for (const label of ["New image", "Release tag", "Registries or mirrors", "Pull"]) {
      // The dialog renders after the click: wait for each field (one only: strict locators).
      await dialog.getByLabel(label, { exact: true }).waitFor();
      await expect(dialog.getByLabel(label, { exact: true }).count()).resolves.toBe(1);
    }
    await dialog.getByLabel(/Upgrade even when \/root is not in a volume/).waitFor();
    await screenshot(page, "upgrade-dialog-desktop");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  });

  it("keeps screenshots of each page at desktop and phone width", async () => {
    await open("#/host");
    await page.getByText("Container engine").waitFor({ timeout: 60_000 });
    await page.locator("table.catalogue").waitFor({ timeout: 60_000 });
    await expect(page.locator("table.catalogue").textContent()).resolves.toContain(CHOSEN_IMAGE);
    await screenshot(page, "host-desktop");
    await page.setViewportSize(PHONE);
    for (const [hash, shot] of [
      ["#/", "environments-phone"],
      ["#/create", "create-phone"],
      [`#/env/${name}`, "environment-phone"],
      ["#/host", "host-phone"],
    ] as const) {
      await open(hash);
      await page.waitForLoadState("networkidle").catch(() => undefined);
      await screenshot(page, shot);
      // Nothing wider than the phone's screen.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${hash} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize(DESKTOP);
  });

  it("Ctrl-C ends the dashboard cleanly, closing the terminal's shell in the environment", async () => {
    await open(`#/env/${name}`);
    await page.getByRole("button", { name: "Open a terminal" }).click();
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor();
    await page.locator(".xterm").click();
    await page.keyboard.type("sleep 4242");
    await page.keyboard.press("Enter");
    const container = engineClient().getContainer(name);
    await waitFor("the terminal's command", async () =>
      (await execIn(container, ["ps", "ax"])).stdout.includes("sleep 4242"),
    );
    expect(await dashboard.interrupt()).toBe(0);
    expect(dashboard.stderr()).toContain("Stopping the dashboard");
    await waitFor(
      "the terminal's processes gone",
      async () => !(await execIn(container, ["ps", "ax"])).stdout.includes("sleep 4242"),
    );
    dashboard = await startDashboard(bin, ["--port", "0"], env());
    await page.goto(dashboard.url);
    await page.getByRole("heading", { level: 1, name: "Environments" }).waitFor();
  });

  it("removes it after a confirmation that says what is kept", async () => {
    await row(page, name)
      .getByRole("button", { name: `Remove ${name}` })
      .click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.textContent()).resolves.toMatch(/Kept on the host:.*\/home/);
    await expect(dialog.textContent()).resolves.toMatch(/its volume with \/root/);
    const homeVolumes = () =>
      engineClient()
        .listVolumes({ filters: { label: [`io.modelbox-dev.name=${name}`] } })
        .then((v) => v.Volumes ?? []);
    expect(await homeVolumes()).toHaveLength(1);
    await dialog.getByLabel("Also remove its volumes").check();
    await expect(dialog.textContent()).resolves.not.toMatch(/its volume with \/root/);
    await screenshot(page, "remove-confirm-desktop");
    await dialog.getByRole("button", { name: "Stop and remove" }).click();
    await row(page, name).waitFor({ state: "detached", timeout: 60_000 });
    expect(await containerExists(name)).toBe(false);
    // The list drops the row on the container's removal; its volume goes right after.
    await waitFor("its /root volume removed", async () => (await homeVolumes()).length === 0);
    expect(readFileSync(join(home, ".ssh", "config"), "utf8")).not.toContain(name);
  });
});
