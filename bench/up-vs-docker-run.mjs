#!/usr/bin/env node
// Time from "start" to sshd answering on the mapped port: `modelbox-dev up` (which returns only
// once the SSH banner arrives) against the seed's way, `docker run -d` followed by polling the
// banner, on the develop fixture image. Rounds alternate so both see the same machine state.
// Prints medians and the ratio (target: at most 1.15). Needs dockerd and the fixture images.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const IMAGE = "modelbox-dev-fixture/develop:latest";
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// Fresh ports for every run: a port just released can sit in TIME_WAIT, which the engine's
// port proxy refuses to bind.
let PORTS = { ssh: 0, editor: 0, http: 0 };
const portsFor = (run) => ({
  ssh: 45000 + run * 3,
  editor: 45001 + run * 3,
  http: 45002 + run * 3,
});

function banner(port) {
  return new Promise((resolve) => {
    let data = "";
    const s = connect({ host: "127.0.0.1", port });
    const done = () => {
      s.destroy();
      resolve(data);
    };
    s.setTimeout(500, done);
    s.on("data", (c) => {
      data += c.toString("latin1");
      if (data.includes("\n")) done();
    });
    s.on("error", done);
    s.on("close", done);
  });
}

async function waitForBanner(port) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if ((await banner(port)).startsWith("SSH-")) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no SSH banner on ${port}`);
}

// up writes a key per environment under ~/.modelbox-dev: keep it out of the real HOME.
const benchHome = mkdtempSync(join(tmpdir(), "mbdev-bench-home-"));

const remove = (name) => execFileSync("docker", ["rm", "-f", name], { stdio: "ignore" });

async function baseline(name) {
  const t0 = performance.now();
  execFileSync(
    "docker",
    [
      "run",
      "-itd",
      "--name",
      name,
      "--tmpfs",
      "/tmp",
      "--tmpfs",
      "/run",
      "--tmpfs",
      "/run/lock",
      "-v",
      "/sys/fs/cgroup:/sys/fs/cgroup:ro",
      "-p",
      `127.0.0.1:${PORTS.ssh}:22`,
      "-p",
      `127.0.0.1:${PORTS.editor}:1104`,
      "-p",
      `127.0.0.1:${PORTS.http}:${PORTS.http}`,
      IMAGE,
    ],
    { stdio: "ignore" },
  );
  await waitForBanner(PORTS.ssh);
  return performance.now() - t0;
}

async function withUp(name) {
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [
      CLI,
      "up",
      name,
      "--image",
      IMAGE,
      "--kind",
      "develop",
      "--pull",
      "never",
      "--bind",
      "127.0.0.1",
      "--no-default-mounts",
      // The seed's flow stops at sshd answering: no editor, no ~/.ssh/config entry. up still
      // installs its key and waits for a real key login, which the baseline does not do.
      "--no-develop-mode",
      "--no-ssh-config",
      "--gpus",
      "none",
      "--ssh-port",
      `${PORTS.ssh}`,
      "--editor-port",
      `${PORTS.editor}`,
      "--http-port",
      `${PORTS.http}`,
    ],
    { stdio: "ignore", env: { ...process.env, HOME: benchHome } },
  );
  // up has returned: the banner must already be there.
  if (!(await banner(PORTS.ssh)).startsWith("SSH-"))
    throw new Error("up returned before sshd answered");
  return performance.now() - t0;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { baseline: [], up: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const [kind, fn] of i % 2 === 0
    ? [
        ["baseline", baseline],
        ["up", withUp],
      ]
    : [
        ["up", withUp],
        ["baseline", baseline],
      ]) {
    const name = `mbdev-bench-${kind}-${process.pid}-${i}`;
    PORTS = portsFor(2 * i + (kind === "up" ? 1 : 0));
    try {
      times[kind].push(await fn(name));
    } finally {
      remove(name);
    }
  }
}
const b = median(times.baseline);
const u = median(times.up);
console.log(`rounds: ${ROUNDS}`);
console.log(
  `docker run + banner polling: median ${b.toFixed(0)} ms  (${times.baseline.map((t) => t.toFixed(0)).join(", ")})`,
);
console.log(
  `modelbox-dev up:             median ${u.toFixed(0)} ms  (${times.up.map((t) => t.toFixed(0)).join(", ")})`,
);
console.log(`ratio up / baseline: ${(u / b).toFixed(2)} (target <= 1.15)`);
