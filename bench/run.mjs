#!/usr/bin/env node
// modelbox-dev against the same work done by hand, measured in one run on the develop fixture
// image (medians of several rounds, alternating order, fresh ports every round):
//   1. up --no-develop-mode   vs  by hand, key login   (docker run, banner, key, key login)
//   2. up                     vs  by hand, full        (the same + develop -s + editor 200)
//   3. time from process start to the create call (seen by a proxy in front of the engine's
//      socket, bench/engine-proxy.mjs) and to the engine's create event, for up --no-develop-mode
//   4. --version              vs  node -e 0
//   5. ls --all --json over 200 environments  vs  docker ps -a --filter label=… --format json
// Needs dockerd, the docker CLI, ssh, curl and the fixture images (test/fixture/build.sh).
// BENCH_ROUNDS sets the rounds (default 5). Prints a Markdown table for README.md at the end.
// Where NODE_EXTRA_CA_CERTS is set, Node reads that CA file as every process starts (~50 ms
// here; the command line defers it, src/extra-ca-certs.ts, `node -e 0` does not): the Node
// measures are taken again without it, as on a host that does not set it.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const IMAGE = process.env.BENCH_IMAGE ?? "modelbox-dev-fixture/develop:latest";
// Run as the installed command is: the file itself, which /bin/sh starts and hands to Node.
const CLI = fileURLToPath(new URL("../dist/bin/main.cjs", import.meta.url));
const BY_HAND = fileURLToPath(new URL("./by-hand.sh", import.meta.url));
const PROXY = fileURLToPath(new URL("./engine-proxy.mjs", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MANAGED = "io.modelbox-dev.managed=true";

const work = mkdtempSync(join(tmpdir(), "mbdev-bench-"));
// up writes keys and an ssh config entry under HOME: keep them out of the real one.
const home = join(work, "home");
execFileSync("mkdir", ["-p", home]);
const key = join(work, "id_ed25519");
execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);

// Fresh ports for every run: a port just released can sit in TIME_WAIT, which the engine's port
// proxy refuses to bind. The base moves with the pid so two runs do not meet.
let nextPort = 40000 + (process.pid % 500) * 30;
// Ports something on this host listens on now (`ss`), skipped: a clash would end the run.
const listening = new Set(
  execFileSync("ss", ["-Htln"], { encoding: "utf8" })
    .split("\n")
    .map((line) => Number(/:(\d+)\s/.exec(line)?.[1]))
    .filter((port) => port > 0),
);
const freshPorts = () => {
  while ([0, 1, 2].some((i) => listening.has(nextPort + i))) nextPort += 3;
  const p = { ssh: nextPort, editor: nextPort + 1, http: nextPort + 2 };
  nextPort += 3;
  return p;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// The container (with the anonymous volumes of the image's VOLUMEs: /run, /tmp, …) and the /root
// volume that up (and the script by hand) made for it.
const remove = (name) => {
  execFileSync("docker", ["rm", "-f", "-v", name], { stdio: "ignore" });
  execFileSync("docker", ["volume", "rm", "-f", `modelbox-dev-home-${name}`], { stdio: "ignore" });
};
/** Runs a command with its output hidden; a failure shows what it printed on stderr. */
function runQuiet(file, args, env = process.env) {
  try {
    execFileSync(file, args, { stdio: ["ignore", "ignore", "pipe"], env });
  } catch (err) {
    throw new Error(`${[file, ...args].join(" ")} failed:\n${err.stderr ?? err.message}`);
  }
}
const ms = (x) => `${x.toFixed(0)} ms`;

/** Engine create events by container name, with the engine's own clock (same machine). */
function watchCreates() {
  const created = new Map();
  const child = spawn("docker", [
    "events",
    "--filter",
    "type=container",
    "--filter",
    "event=create",
    "--format",
    "{{.TimeNano}} {{.Actor.Attributes.name}}",
  ]);
  createInterface({ input: child.stdout }).on("line", (line) => {
    const [nanos, name] = line.split(" ");
    created.set(name, Number(BigInt(nanos) / 1_000_000n));
  });
  return { created, stop: () => child.kill() };
}

function byHand(name, mode, attempt = 1) {
  const p = freshPorts();
  const t0 = performance.now();
  try {
    runQuiet(BY_HAND, [IMAGE, name, p.ssh, p.editor, p.http, key, mode].map(String));
  } catch (err) {
    // A port taken meanwhile (a client's ephemeral port): the container is left, created. Again.
    if (attempt < 3 && /address already in use/.test(String(err.message))) {
      remove(name);
      return byHand(name, mode, attempt + 1);
    }
    throw err;
  }
  return { total: performance.now() - t0 };
}

function up(name, mode, attempt = 1) {
  const p = freshPorts();
  const args = ["up", name, "--image", IMAGE, "--kind", "develop", "--pull", "never"];
  args.push("--bind", "127.0.0.1", "--no-default-mounts", "--gpus", "none");
  args.push("--ssh-port", `${p.ssh}`, "--editor-port", `${p.editor}`, "--http-port", `${p.http}`);
  if (mode === "key") args.push("--no-develop-mode");
  const spawnedAt = Date.now();
  const t0 = performance.now();
  try {
    runQuiet(CLI, args, { ...process.env, HOME: home });
  } catch (err) {
    // A port taken meanwhile (on a shared host) is refused before anything is made: next ports.
    if (attempt < 3 && /is already in use/.test(String(err.message))) {
      return up(name, mode, attempt + 1);
    }
    throw err;
  }
  return { total: performance.now() - t0, spawnedAt };
}

const epochNow = () => performance.timeOrigin + performance.now();
const withoutCaFile = () => {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
};

/** The proxy in front of the engine's socket, and the requests it has seen. */
async function startProxy() {
  const engineSocket = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(
    /^unix:\/\//,
    "",
  );
  const listen = join(work, "engine.sock");
  const child = spawn(process.execPath, [PROXY, listen, engineSocket]);
  const requests = [];
  const lines = createInterface({ input: child.stdout });
  await new Promise((resolve) => lines.once("line", resolve)); // "ready"
  lines.on("line", (line) => {
    const [at, method, path] = line.split(" ");
    requests.push({ at: Number(at), method, path });
  });
  return { host: `unix://${listen}`, requests, stop: () => child.kill() };
}

/**
 * Process start → create call: `up --no-develop-mode` with the engine behind the proxy, the time
 * from spawning it to the proxy seeing its POST …/containers/create. One run per environment in
 * `envs` each round, their order alternating; twice the rounds of the others (a run takes ~1 s).
 * The medians, one per environment.
 */
async function timeToCreateCall(proxy, envs) {
  const times = envs.map(() => []);
  for (let i = 0; i < 2 * ROUNDS; i++) {
    const order = envs.map((_, k) => k);
    if (i % 2 === 1) order.reverse();
    for (const k of order) {
      const name = `mbdev-bench-call-${process.pid}-${i}-${k}`;
      const p = freshPorts();
      const args = ["up", name, "--image", IMAGE, "--kind", "develop", "--pull", "never"];
      args.push("--bind", "127.0.0.1", "--no-default-mounts", "--gpus", "none");
      args.push("--no-develop-mode", "--ssh-port", `${p.ssh}`, "--editor-port", `${p.editor}`);
      args.push("--http-port", `${p.http}`);
      const spawnedAt = epochNow();
      try {
        runQuiet(CLI, args, { ...envs[k], HOME: home, DOCKER_HOST: proxy.host });
        await new Promise((r) => setTimeout(r, 50)); // the proxy's lines come through the pipe
        const create = proxy.requests.find(
          (r) => r.at >= spawnedAt && r.method === "POST" && /\/containers\/create\b/.test(r.path),
        );
        if (create) times[k]?.push(create.at - spawnedAt);
      } finally {
        remove(name);
      }
    }
  }
  return times.map(median);
}

async function compareUp(mode) {
  const times = { hand: [], up: [], toCreate: [] };
  const events = watchCreates();
  await new Promise((r) => setTimeout(r, 300)); // let `docker events` subscribe
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? ["hand", "up"] : ["up", "hand"];
      for (const kind of order) {
        const name = `mbdev-bench-${mode}-${kind}-${process.pid}-${i}`;
        try {
          if (kind === "hand") times.hand.push(byHand(name, mode).total);
          else {
            const r = up(name, mode);
            times.up.push(r.total);
            await new Promise((res) => setTimeout(res, 100)); // the event may trail the exit
            const createdAt = events.created.get(name);
            if (createdAt !== undefined) times.toCreate.push(createdAt - r.spawnedAt);
          }
        } finally {
          remove(name);
        }
      }
    }
  } finally {
    events.stop();
  }
  return times;
}

function timeCommand(file, args, env = process.env) {
  const t0 = performance.now();
  runQuiet(file, args, env);
  return performance.now() - t0;
}

/** Medians of each command, run in turn every round (the order rotating). */
function compareCommands(commands, rounds) {
  const times = commands.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < commands.length; k++) {
      const which = (i + k) % commands.length;
      const [file, args, env = process.env] = commands[which];
      times[which].push(timeCommand(file, args, { ...env, HOME: home }));
    }
  }
  return times.map(median);
}

function withManyEnvironments(count, fn) {
  const names = Array.from({ length: count }, (_, i) => `mbdev-bench-ls-${process.pid}-${i}`);
  const create = (n) =>
    `docker create -q --name ${n} --label ${MANAGED} --label io.modelbox-dev.name=${n} ` +
    `--label io.modelbox-dev.kind=develop ${IMAGE} >/dev/null`;
  execFileSync("bash", ["-c", names.map(create).join(" & \n") + "\nwait"], { stdio: "ignore" });
  try {
    return fn();
  } finally {
    execFileSync("docker", ["rm", "-f", ...names], { stdio: "ignore" });
  }
}

const rows = [];
const row = (what, tool, baseline, target, paired) => {
  const ratio = tool / baseline;
  rows.push({ what, tool, baseline, ratio, target, paired });
  console.log(
    `${what}: ${ms(tool)} vs ${ms(baseline)} → ${ratio.toFixed(2)}× (target ≤ ${target})` +
      (paired === undefined ? "" : `; round by round: ${paired.toFixed(2)}×`),
  );
};
/**
 * Each round runs both, one right after the other: the median of the rounds' own ratios follows
 * a shared host's changing load less than the ratio of the two medians. The samples are printed.
 */
function pairedRatio(times) {
  const ratios = times.up.map((t, i) => t / times.hand[i]);
  const list = (xs) => xs.map((x) => x.toFixed(0)).join(" ");
  console.log(`  rounds (ms): up ${list(times.up)}; by hand ${list(times.hand)}`);
  return median(ratios);
}

console.log(`rounds: ${ROUNDS}, image: ${IMAGE}`);
const key1 = await compareUp("key");
row(
  "up --no-develop-mode vs by hand (key login)",
  median(key1.up),
  median(key1.hand),
  "1.15",
  pairedRatio(key1),
);
const full = await compareUp("full");
row(
  "up vs by hand (full: + developer mode, editor 200)",
  median(full.up),
  median(full.hand),
  "1.0",
  pairedRatio(full),
);
const toCreate = median([...key1.toCreate, ...full.toCreate]);
console.log(`process start → create event (the container made): median ${ms(toCreate)}`);
const proxy = await startProxy();
const caFile = process.env.NODE_EXTRA_CA_CERTS !== undefined;
let toCall, toCallWithoutCa;
try {
  [toCall, toCallWithoutCa] = await timeToCreateCall(
    proxy,
    caFile ? [process.env, withoutCaFile()] : [process.env],
  );
} finally {
  proxy.stop();
}
console.log(`process start → create call: median ${ms(toCall)} (target ≤ 150 ms)`);
if (caFile) console.log(`  without NODE_EXTRA_CA_CERTS: ${ms(toCallWithoutCa)}`);

const [versionTime, nodeTime] = compareCommands(
  [
    [CLI, ["--version"]],
    [process.execPath, ["-e", "0"]],
  ],
  15,
);
row("--version vs node -e 0", versionTime, nodeTime, "1.5");
let nodeTimeWithoutCa;
if (caFile) {
  const noCa = withoutCaFile();
  const [version, node] = compareCommands(
    [
      [CLI, ["--version"], noCa],
      [process.execPath, ["-e", "0"], noCa],
    ],
    15,
  );
  nodeTimeWithoutCa = node;
  row("--version vs node -e 0, without NODE_EXTRA_CA_CERTS", version, node, "1.5");
}

// The first ls after the environments are made inspects each of them (what it keeps of them by
// container id spares the later ones that): timed on its own, then the alternating rounds.
// The floor for any Node program: the same list call, and nothing else, from `node -e`.
const socket = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "");
const listOnly = `require("http").get({ socketPath: ${JSON.stringify(socket)}, path: "/containers/json?all=1&filters=" +
  encodeURIComponent(JSON.stringify({ label: [${JSON.stringify(MANAGED)}] })) }, (res) => {
  let body = ""; res.on("data", (d) => (body += d));
  res.on("end", () => { for (const c of JSON.parse(body)) process.stdout.write(JSON.stringify(c) + "\\n"); });
});`;
let lsFirst = 0;
const [lsTime, dockerPsTime, listOnlyTime, lsTimeWithoutCa, listOnlyTimeWithoutCa] =
  withManyEnvironments(200, () => {
    const lsArgs = ["ls", "--all", "--json"];
    lsFirst = timeCommand(CLI, lsArgs, { ...process.env, HOME: home });
    const noCa = withoutCaFile();
    return compareCommands(
      [
        [CLI, lsArgs],
        ["docker", ["ps", "-a", "--filter", `label=${MANAGED}`, "--format", "{{json .}}"]],
        [process.execPath, ["-e", listOnly]],
        ...(caFile
          ? [
              [CLI, lsArgs, noCa],
              [process.execPath, ["-e", listOnly], noCa],
            ]
          : []),
      ],
      9,
    );
  });
row("ls --all --json (200 environments) vs docker ps", lsTime, dockerPsTime, "1.5");
if (caFile) {
  row(
    "ls --all --json (200 environments) vs docker ps, without NODE_EXTRA_CA_CERTS",
    lsTimeWithoutCa,
    dockerPsTime,
    "1.5",
  );
}
console.log(
  `  the same list call alone from node -e (the floor for a Node program): ${ms(listOnlyTime)}, ` +
    `${(listOnlyTime / dockerPsTime).toFixed(2)}× docker ps`,
);
console.log(`first ls --all --json after the 200 are made (inspects each): ${ms(lsFirst)}`);

console.log(
  "\n| measure | modelbox-dev | baseline | ratio | round by round | target |\n|---|---|---|---|---|---|",
);
for (const r of rows) {
  const paired = r.paired === undefined ? "" : `${r.paired.toFixed(2)}×`;
  console.log(
    `| ${r.what} | ${ms(r.tool)} | ${ms(r.baseline)} | ${r.ratio.toFixed(2)}× | ${paired} | ≤ ${r.target}× |`,
  );
}
console.log(`| process start → create call | ${ms(toCall)} | | | | ≤ 150 ms |`);
if (caFile) {
  console.log(
    `| process start → create call, without NODE_EXTRA_CA_CERTS | ${ms(toCallWithoutCa)} | | | | ≤ 150 ms |`,
  );
}
console.log(`| process start → create event (the container made) | ${ms(toCreate)} | | | | |`);
console.log(
  `| node -e 0 (Node's own start, the floor of the create call) | ${ms(nodeTime)} | | | | |`,
);
if (caFile) {
  console.log(`| node -e 0, without NODE_EXTRA_CA_CERTS | ${ms(nodeTimeWithoutCa)} | | | | |`);
}
console.log(
  `| the list call alone from node -e (the floor of ls) | ${ms(listOnlyTime)} | ${ms(dockerPsTime)} | ${(listOnlyTime / dockerPsTime).toFixed(2)}× | | |`,
);
if (caFile) {
  console.log(
    `| the same, without NODE_EXTRA_CA_CERTS | ${ms(listOnlyTimeWithoutCa)} | ${ms(dockerPsTime)} | ${(listOnlyTimeWithoutCa / dockerPsTime).toFixed(2)}× | | |`,
  );
}
console.log(`| first ls after the 200 are made (inspects each) | ${ms(lsFirst)} | | | | |`);
