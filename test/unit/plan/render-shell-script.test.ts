import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LABELS } from "../../../src/labels.js";
import { dockerRunArgs } from "../../../src/plan/docker-run-args.js";
import { OPTION_EXPLANATIONS, type ExplainedOption } from "../../../src/plan/explain-options.js";
import type { EnvironmentOptions } from "../../../src/plan/options.js";
import { planEnvironment } from "../../../src/plan/plan-environment.js";
import { renderShellScript } from "../../../src/plan/render-shell-script.js";
import { shellQuote, shellWord } from "../../../src/plan/shell-quote.js";
import type { Plan } from "../../../src/plan/types.js";
import { ascendFacts, dockerFacts, gpuFacts, podmanGpuFacts } from "../../support/facts.js";

const SEED_IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const RUNTIME_IMAGE = "modelbox/modelbox-runtime-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const CANN_IMAGE = "modelbox/modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-x86_64";
const NOW = 1_700_000_000;

function plan(options: Partial<EnvironmentOptions> = {}, facts = dockerFacts()): Plan {
  return planEnvironment({ image: SEED_IMAGE, now: NOW, ...options }, facts);
}

const lines = (script: string) => script.split("\n");

/**
 * A directory holding a `docker` stub: `docker run` writes its argv NUL-separated to stdout, any
 * other docker command (volume create) to the file $DOCKER_OTHER.
 */
let work: string;
let stubDir: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "mbdev-script-"));
  stubDir = join(work, "bin");
  mkdirSync(stubDir);
  const stub = join(stubDir, "docker");
  writeFileSync(
    stub,
    '#!/bin/bash\nif [ "$1" = run ]; then printf \'%s\\0\' "$@"; else printf \'%s\\0\' "$@" >> "$DOCKER_OTHER"; fi\n',
  );
  chmodSync(stub, 0o755);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Runs the script with real bash, `docker` being the stub; returns the argv `docker run` got. */
function runScript(script: string, cwd = work, env: Record<string, string> = {}): string[] {
  const file = join(work, `script-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  const out = execFileSync("bash", [file], {
    cwd,
    env: {
      PATH: `${stubDir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: work,
      DOCKER_OTHER: `${file}.other`,
      ...env,
    },
    // stdin from /dev/null: bash reads ~/.bashrc when stdin is a socket.
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "buffer",
  });
  const text = out.toString("utf8");
  expect(text.endsWith("\0")).toBe(true);
  return text.slice(0, -1).split("\0");
}

/** The value following each occurrence of `flag` in argv. */
function valuesOf(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag && i + 1 < argv.length ? [argv[i + 1] ?? ""] : []));
}

/** argv up to the first --label (labels come last, before the image). */
function beforeLabels(argv: string[]): string[] {
  const i = argv.indexOf("--label");
  return i < 0 ? argv : argv.slice(0, i);
}

describe("renderShellScript: the seed's script", () => {
  const p = plan({}, gpuFacts(2));
  const script = renderShellScript(p, { toolVersion: "0.1.0" });
  const ls = lines(script);

  it("is a bash script that stops on errors", () => {
    expect(ls[0]).toBe("#!/bin/bash");
    expect(ls).toContain("set -euo pipefail");
    expect(script).toContain("modelbox-dev 0.1.0");
    execFileSync("bash", ["-n"], { input: script });
  });

  it("has the editable variables at the top, before the docker command", () => {
    const argsAt = ls.indexOf("docker_args=(");
    expect(argsAt).toBeGreaterThan(0);
    for (const assignment of [
      "SSH_MAP_PORT=50022",
      "EDITOR_MAP_PORT=1104",
      "HTTP_SERVER_PORT=8080",
      `CONTAINER_NAME=modelbox_instance_${NOW}`,
      `IMAGE_NAME=${SEED_IMAGE}:latest`,
    ]) {
      const at = ls.indexOf(assignment);
      expect(at, assignment).toBeGreaterThan(0);
      expect(at).toBeLessThan(argsAt);
    }
    expect(ls.filter((l) => /^# .*\[modify\]$/.test(l))).toEqual([
      "# ssh map port [modify]",
      "# editor map port [modify]",
      "# http server port [modify]",
      "# container name [modify]",
    ]);
  });

  it("ends with docker run of the argument array and the image variable", () => {
    expect(ls.filter((l) => l.trim() !== "").at(-1)).toBe(
      'docker run "${docker_args[@]}" "${IMAGE_NAME}"',
    );
  });

  it("publishes ports through the variables", () => {
    expect(ls).toContain('  -p "${SSH_MAP_PORT}:22"');
    expect(ls).toContain('  -p "${EDITOR_MAP_PORT}:1104"');
    expect(ls).toContain('  -p "${HTTP_SERVER_PORT}:${HTTP_SERVER_PORT}"');
    expect(ls).toContain('  --name "${CONTAINER_NAME}"');
  });

  it("hands docker the seed's options, in the seed's order", () => {
    const argv = runScript(script);
    expect(beforeLabels(argv)).toEqual([
      "run",
      "-itd",
      "--name",
      `modelbox_instance_${NOW}`,
      "--gpus",
      "all",
      "-e",
      "NVIDIA_DRIVER_CAPABILITIES=compute,utility,video",
      "--tmpfs",
      "/tmp",
      "--tmpfs",
      "/run",
      "--tmpfs",
      "/run/lock",
      "-v",
      "/sys/fs/cgroup:/sys/fs/cgroup:ro",
      "-v",
      "/opt/modelbox:/opt/modelbox",
      "-v",
      "/home:/home",
      "-v",
      `modelbox-dev-home-modelbox_instance_${NOW}:/root`,
      "--restart",
      "unless-stopped",
      "--stop-timeout",
      "30",
      "--shm-size",
      "8g",
      "-p",
      "50022:22",
      "-p",
      "1104:1104",
      "-p",
      "8080:8080",
    ]);
    expect(argv.at(-1)).toBe(`${SEED_IMAGE}:latest`);
    expect(valuesOf(argv, "--label").sort()).toEqual(
      Object.entries(p.labels)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
  });

  it("follows edits of the variables, like the seed's script", () => {
    const edited = script
      .replace(/^SSH_MAP_PORT=.*$/m, "SSH_MAP_PORT=40022")
      .replace(/^HTTP_SERVER_PORT=.*$/m, "HTTP_SERVER_PORT=9001")
      .replace(/^CONTAINER_NAME=.*$/m, "CONTAINER_NAME=edited_box");
    const argv = runScript(edited);
    expect(valuesOf(argv, "-p")).toEqual(["40022:22", "1104:1104", "9001:9001"]);
    expect(valuesOf(argv, "--name")).toEqual(["edited_box"]);
    expect(valuesOf(argv, "--label")).toContain(`${LABELS.name}=edited_box`);
    expect(valuesOf(argv, "-v")).toContain("modelbox-dev-home-edited_box:/root");
  });

  it("keeps the flowunit's 8080 inside when the HTTP default moved", () => {
    const moved = plan({}, dockerFacts({ portsInUse: [8080] }));
    const argv = runScript(renderShellScript(moved));
    expect(valuesOf(argv, "-p")).toContain("8081:8080");
    expect(renderShellScript(moved)).toContain("HTTP_SERVER_PORT=8081");
  });

  it("publishes on the --bind address, bracketing IPv6", () => {
    expect(valuesOf(runScript(renderShellScript(plan({ bind: "127.0.0.1" }))), "-p")).toEqual([
      "127.0.0.1:50022:22",
      "127.0.0.1:1104:1104",
      "127.0.0.1:8080:8080",
    ]);
    expect(valuesOf(runScript(renderShellScript(plan({ bind: "::1" }))), "-p")[0]).toBe(
      "[::1]:50022:22",
    );
  });

  it("for a runtime image has only the HTTP port variable", () => {
    const s = renderShellScript(plan({ image: RUNTIME_IMAGE }));
    expect(s).not.toContain("SSH_MAP_PORT");
    expect(s).not.toContain("EDITOR_MAP_PORT");
    expect(lines(s)).toContain("HTTP_SERVER_PORT=8080");
    expect(valuesOf(runScript(s), "-p")).toEqual(["8080:8080"]);
  });

  it("shows the plan's warnings as comments", () => {
    const cpu = plan();
    const s = renderShellScript(cpu);
    const warning = cpu.warnings.find((w) => w.code === "NO_GPU");
    expect(warning).toBeDefined();
    expect(lines(s)).toContain(`# warning: ${warning?.message}`);
  });
});

describe("renderShellScript: GPU and NPU options per plan", () => {
  it("--gpus all for a device request, without --runtime", () => {
    const s = renderShellScript(plan({}, gpuFacts(1)));
    expect(lines(s)).toContain("  --gpus all");
    expect(s).not.toContain("--runtime");
  });

  it("--gpus with Docker's quoted device list for chosen GPUs", () => {
    const argv = runScript(renderShellScript(plan({ gpus: "0,1" }, gpuFacts(2))));
    // Docker reads --gpus as CSV: the list must arrive inside double quotes.
    expect(valuesOf(argv, "--gpus")).toEqual(['"device=0,1"']);
  });

  it("--runtime=nvidia and NVIDIA_VISIBLE_DEVICES for Docker 18.09, without --gpus", () => {
    const facts = dockerFacts({ version: "18.09.0", runtimes: ["nvidia"], nvidia: { gpus: 2 } });
    const s = renderShellScript(plan({}, facts));
    expect(lines(s)).toContain("  --runtime=nvidia");
    expect(s).not.toContain("--gpus");
    const argv = runScript(s);
    expect(valuesOf(argv, "-e").sort()).toEqual([
      "NVIDIA_DRIVER_CAPABILITIES=compute,utility,video",
      "NVIDIA_VISIBLE_DEVICES=all",
    ]);
  });

  it("no GPU option and no NVIDIA env without a GPU", () => {
    const s = renderShellScript(plan());
    expect(s).not.toContain("--gpus");
    expect(s).not.toContain("--runtime");
    expect(s).not.toContain("NVIDIA_DRIVER_CAPABILITIES=");
  });

  it("Ascend chips as --device options, or --runtime=ascend with ASCEND_VISIBLE_DEVICES", () => {
    const devices = runScript(
      renderShellScript(plan({ image: CANN_IMAGE, npu: "0-1" }, ascendFacts())),
    );
    expect(valuesOf(devices, "--device")).toEqual([
      "/dev/davinci0",
      "/dev/davinci1",
      "/dev/davinci_manager",
      "/dev/hisi_hdc",
      "/dev/devmm_svm",
    ]);
    const runtime = runScript(
      renderShellScript(
        plan({ image: CANN_IMAGE, npu: "0-1" }, ascendFacts({ runtimes: ["ascend"] })),
      ),
    );
    expect(runtime).toContain("--runtime=ascend");
    expect(valuesOf(runtime, "-e")).toEqual(["ASCEND_VISIBLE_DEVICES=0-1"]);
    expect(valuesOf(runtime, "--device")).toEqual([]);
  });

  it("cgroup v2: --cgroupns=host and a read-write cgroup mount", () => {
    const argv = runScript(renderShellScript(plan({}, dockerFacts({ cgroupVersion: 2 }))));
    expect(argv).toContain("--cgroupns=host");
    expect(valuesOf(argv, "-v")).toContain("/sys/fs/cgroup:/sys/fs/cgroup:rw");
  });

  it("debug options", () => {
    const ptrace = runScript(renderShellScript(plan({ debug: "ptrace" })));
    expect(ptrace).toContain("--cap-add=SYS_PTRACE");
    expect(valuesOf(ptrace, "--security-opt")).toEqual(["seccomp=unconfined"]);
    expect(ptrace).not.toContain("--privileged");
    const privileged = runScript(renderShellScript(plan({ debug: "privileged" })));
    expect(privileged).toContain("--privileged");
    expect(privileged).not.toContain("--cap-add=SYS_PTRACE");
  });

  it("--cpus and --memory as docker run reads them, only when asked for", () => {
    const limited = runScript(renderShellScript(plan({ cpus: "1.5", memory: "16Gi" })));
    expect(valuesOf(limited, "--cpus")).toEqual(["1.5"]);
    expect(valuesOf(limited, "--memory")).toEqual(["16g"]);
    const free = runScript(renderShellScript(plan()));
    expect(free).not.toContain("--cpus");
    expect(free).not.toContain("--memory");
  });
});

describe("renderShellScript --explain", () => {
  /** Plans that together use every kind of option the script knows. */
  function explainPlans(): Plan[] {
    const old = plan(
      { debug: "ptrace", mounts: ["/data:/data:ro"], npu: "0" },
      dockerFacts({
        version: "18.09.0",
        runtimes: ["nvidia", "ascend"],
        nvidia: { gpus: 2 },
        ascend: { chips: [0, 1] },
      }),
    );
    const modern = plan(
      { debug: "privileged", gpus: "0", image: CANN_IMAGE, npu: "1" },
      dockerFacts({
        version: "24.0.6",
        cgroupVersion: 2,
        runtimes: ["ascend"],
        nvidia: { gpus: 2 },
        ascend: { chips: [0, 1] },
      }),
    );
    // Plans are plain data: an extra env variable and device exercise the generic comments.
    modern.env.MY_SETTING = "1";
    modern.devices.push({ hostPath: "/dev/fuse", containerPath: "/dev/fuse", permissions: "rwm" });
    const all = plan({ cpus: "1.5", memory: "16g" }, gpuFacts(1, { version: "28.0.0" }));
    const extras = plan({
      publish: ["6006:6006", "127.0.0.1:2345:2345/udp"],
      userEnv: {
        values: { fromFiles: { A: "secret-a" }, fromFlags: { B: "secret-b" } },
        files: ["/srv/app.env"],
      },
      cpus: "2",
      memory: "8g",
      shmSize: "2g",
      ulimits: ["nofile=1024:2048", "core=-1"],
    });
    const podman = plan({}, podmanGpuFacts(1));
    return [old, modern, all, extras, podman];
  }

  it("the plans used here cover every explained option", () => {
    const kinds = new Set(explainPlans().flatMap((p) => dockerRunArgs(p).map((a) => a.explain)));
    expect([...kinds].sort()).toEqual(Object.keys(OPTION_EXPLANATIONS).sort());
  });

  it("puts the explanation of each kind of option right above it", () => {
    for (const p of explainPlans()) {
      const ls = lines(renderShellScript(p, { explain: true }));
      const args = dockerRunArgs(p);
      const kinds = new Set<ExplainedOption>(args.map((a) => a.explain));
      for (const kind of kinds) {
        const comment = `  # ${OPTION_EXPLANATIONS[kind]}`;
        const at = ls.indexOf(comment);
        expect(at, kind).toBeGreaterThan(0);
        // The line below a comment is an option, not another comment.
        expect(ls[at + 1]?.startsWith("  -")).toBe(true);
      }
      const comments = ls.filter((l) => l.startsWith("  # "));
      expect(comments.length).toBeGreaterThanOrEqual(kinds.size);
      // Still a valid script that passes the same arguments.
      const env = { B: "from the shell" };
      expect(runScript(renderShellScript(p, { explain: true }), work, env)).toEqual(
        runScript(renderShellScript(p), work, env),
      );
    }
  });

  it("explains the specific options the seed documents", () => {
    const ls = lines(renderShellScript(plan({ debug: "ptrace" }, gpuFacts(1)), { explain: true }));
    const above = (option: string) => ls[ls.indexOf(option) - 1] ?? "";
    expect(above("  -itd")).toMatch(/background/);
    expect(above("  --gpus all")).toMatch(/GPU/);
    expect(above("  --tmpfs /tmp")).toMatch(/in-memory/);
    expect(above("  --cap-add=SYS_PTRACE")).toMatch(/gdb/);
    expect(above("  --security-opt seccomp=unconfined")).toMatch(/system-call/);
    expect(above("  -v /sys/fs/cgroup:/sys/fs/cgroup:ro")).toMatch(/systemd/);
  });

  it("one comment for a run of the same option (three --tmpfs)", () => {
    const ls = lines(renderShellScript(plan(), { explain: true }));
    const tmpfs = ls.indexOf("  --tmpfs /tmp");
    expect(ls.slice(tmpfs, tmpfs + 3)).toEqual([
      "  --tmpfs /tmp",
      "  --tmpfs /run",
      "  --tmpfs /run/lock",
    ]);
    expect(ls.filter((l) => l === `  # ${OPTION_EXPLANATIONS.tmpfs}`)).toHaveLength(1);
  });

  it("adds the plan's notes; without --explain no option comments and no notes", () => {
    const p = plan({}, gpuFacts(1));
    expect(p.notes.length).toBeGreaterThan(0);
    const explained = lines(renderShellScript(p, { explain: true }));
    for (const n of p.notes) expect(explained).toContain(`# note: ${n}`);
    const plain = lines(renderShellScript(p));
    expect(plain.filter((l) => l.startsWith("  #"))).toEqual([]);
    expect(plain.filter((l) => l.startsWith("# note:"))).toEqual([]);
  });
});

describe("renderShellScript: ports, variables, the /root volume and limits", () => {
  const secretPlan = () =>
    plan({
      name: "envbox",
      publish: ["6006:6006", "127.0.0.1:2345:2345", "[::1]:5353:53/udp"],
      userEnv: {
        values: {
          fromFiles: { FROM_FILE: "file-secret-value" },
          fromFlags: { HF_TOKEN: "hf_flag-secret-value" },
        },
        files: ["/srv/team/app.env"],
      },
      cpus: "1.5",
      memory: "16g",
      shmSize: "4g",
      ulimits: ["nofile=65536:65536", "core=-1"],
    });

  it("passes --publish as -p, after the plan's own ports", () => {
    const argv = runScript(renderShellScript(secretPlan()), work, { HF_TOKEN: "x" });
    expect(valuesOf(argv, "-p")).toEqual([
      "50022:22",
      "1104:1104",
      "8080:8080",
      "6006:6006",
      "127.0.0.1:2345:2345",
      "[::1]:5353:53/udp",
    ]);
  });

  it("never writes a value of the user's variables: files by path, flags by name", () => {
    const script = renderShellScript(secretPlan(), { explain: true });
    expect(script).not.toContain("secret-value");
    const argv = runScript(script, work, { HF_TOKEN: "x" });
    expect(valuesOf(argv, "--env-file")).toEqual(["/srv/team/app.env"]);
    expect(valuesOf(argv, "-e")).toEqual(["HF_TOKEN"]);
  });

  it("refuses to run when a variable passed by name is not exported", () => {
    const file = join(work, "no-token.sh");
    writeFileSync(file, renderShellScript(secretPlan()));
    let stderr = "";
    try {
      execFileSync("bash", [file], {
        env: { PATH: `${stubDir}:${process.env.PATH ?? ""}`, DOCKER_OTHER: `${file}.other` },
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (err) {
      stderr = String((err as { stderr?: Buffer }).stderr);
    }
    expect(stderr).toContain("export HF_TOKEN before running this script");
    expect(existsSync(`${file}.other`)).toBe(false);
  });

  it("makes the /root volume with its labels, named after the container, then mounts it", () => {
    const file = join(work, "volume.sh");
    const script = renderShellScript(plan({ name: "volbox" })).replace(
      /^CONTAINER_NAME=.*$/m,
      "CONTAINER_NAME=renamed",
    );
    writeFileSync(file, script);
    const out = execFileSync("bash", [file], {
      env: { PATH: `${stubDir}:${process.env.PATH ?? ""}`, DOCKER_OTHER: `${file}.other` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const argv = out.toString().slice(0, -1).split("\0");
    expect(valuesOf(argv, "-v")).toContain("modelbox-dev-home-renamed:/root");
    const other = readFileSync(`${file}.other`, "utf8").slice(0, -1).split("\0");
    expect(other.slice(0, 2)).toEqual(["volume", "create"]);
    expect(valuesOf(other, "--label").sort()).toEqual(
      [`${LABELS.managed}=true`, `${LABELS.name}=renamed`, `${LABELS.volume}=home`].sort(),
    );
    expect(other.at(-1)).toBe("modelbox-dev-home-renamed");
  });

  it("no volume with --no-home-volume", () => {
    const s = renderShellScript(plan({ homeVolume: false }));
    expect(s).not.toContain("HOME_VOLUME");
    expect(s).not.toContain("docker volume");
  });

  it("--cpus, --memory, --shm-size and --ulimit as docker writes them", () => {
    const argv = runScript(renderShellScript(secretPlan()), work, { HF_TOKEN: "x" });
    expect(valuesOf(argv, "--cpus")).toEqual(["1.5"]);
    expect(valuesOf(argv, "--memory")).toEqual(["16g"]);
    expect(valuesOf(argv, "--shm-size")).toEqual(["4g"]);
    expect(valuesOf(argv, "--ulimit")).toEqual(["core=-1:-1", "nofile=65536:65536"]);
  });
});

describe("renderShellScript: quoting through real bash", () => {
  const nasty = [
    "it's",
    'say "hi"',
    "$HOME and ${HOME}",
    "`id` and $(id)",
    "a; touch pwned; b",
    "back\\slash",
    "tab\tand\nnewline",
    "glob * ? [a]",
    "ünïcödé ✓",
    "!history",
    "~tilde",
    "",
  ];

  it("passes mount paths and label values byte for byte and runs nothing", () => {
    const sourceDir = join(work, `we ird'$(touch x)`);
    mkdirSync(sourceDir, { recursive: true });
    const target = "/data/with space/and'quote";
    const p = plan({ name: "quote.test", mounts: [`${sourceDir}:${target}:ro`] }, gpuFacts(1));
    nasty.forEach((value, i) => {
      p.labels[`org.example.nasty${i}`] = value;
    });
    p.env.NASTY = 'x\'$(touch y)`touch z`;"$HOME"';

    const script = renderShellScript(p, { explain: true });
    const argv = runScript(script, work);

    expect(valuesOf(argv, "-v")).toContain(`${sourceDir}:${target}:ro`);
    const labels = valuesOf(argv, "--label");
    nasty.forEach((value, i) => {
      expect(labels).toContain(`org.example.nasty${i}=${value}`);
    });
    expect(valuesOf(argv, "-e")).toContain('NASTY=x\'$(touch y)`touch z`;"$HOME"');
    // The JSON spec label (quotes, braces, '>') arrives intact.
    expect(labels).toContain(`${LABELS.spec}=${p.labels[LABELS.spec] ?? ""}`);
    for (const file of ["x", "y", "z", "pwned"]) {
      expect(existsSync(join(work, file)), file).toBe(false);
    }
    expect(argv.at(-1)).toBe(`${SEED_IMAGE}:latest`);
  });

  it("every argument docker receives is exactly the plan's value", () => {
    const p = plan({ mounts: ["/srv/a b:/x"], bind: "127.0.0.1", debug: "ptrace" }, gpuFacts(2));
    p.labels["org.example.q"] = `'"'"'`;
    const argv = runScript(renderShellScript(p));
    expect(valuesOf(argv, "--name")).toEqual([p.name]);
    expect(valuesOf(argv, "-v")).toEqual([
      ...p.mounts.map(
        (m) => `${m.source}:${m.target}${m.readOnly ? ":ro" : m.purpose === "cgroup" ? ":rw" : ""}`,
      ),
      ...p.volumes.map((v) => `${v.name}:${v.target}`),
    ]);
    expect(valuesOf(argv, "-p")).toEqual(
      p.ports.map((x) => `${x.hostIp}:${x.hostPort}:${x.containerPort}`),
    );
    expect(valuesOf(argv, "-e").sort()).toEqual(
      Object.entries(p.env)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
    expect(valuesOf(argv, "--label").sort()).toEqual(
      Object.entries(p.labels)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
    );
    expect(valuesOf(argv, "--tmpfs")).toEqual(p.tmpfs);
  });
});

describe("shellQuote and shellWord", () => {
  /** What bash makes of `word`, via `printf '%s\0'`. */
  function bashSees(word: string, vars: Record<string, string> = {}): string {
    const out = execFileSync("bash", ["-c", `printf '%s\\0' ${word}`], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work, ...vars },
      stdio: ["ignore", "pipe", "pipe"],
      cwd: work,
      encoding: "utf8",
    });
    return out;
  }

  it("leaves plain words alone", () => {
    for (const word of ["-itd", "/sys/fs/cgroup:/sys/fs/cgroup:ro", "a=b,c", "x@y%z+1"]) {
      expect(shellQuote(word)).toBe(word);
    }
  });

  it("quotes everything else so bash reads it back byte for byte", () => {
    const values = [
      "",
      "a b",
      "it's",
      "''",
      "'\"'\"'",
      "$(touch x)",
      "`touch x`",
      "${HOME}",
      "a;b|c&d",
      "*",
      "~",
      "#not a comment",
      "line\nbreak",
      "back\\slash\\",
      "ü",
      "!",
    ];
    for (const value of values) {
      const quoted = shellQuote(value);
      expect(quoted).not.toBe(value);
      expect(bashSees(quoted)).toBe(`${value}\0`);
    }
    expect(existsSync(join(work, "x"))).toBe(false);
  });

  it("shellWord joins literals and expands only the named variables", () => {
    const word = shellWord(["127.0.0.1:", { variable: "SSH_MAP_PORT" }, ":22"]);
    expect(word).toBe('"127.0.0.1:${SSH_MAP_PORT}:22"');
    expect(bashSees(word, { SSH_MAP_PORT: "50022" })).toBe("127.0.0.1:50022:22\0");

    const tricky = shellWord(['$HOME "q" `id` \\ ', { variable: "V" }, " '$(x)'"]);
    expect(bashSees(tricky, { V: "a b", HOME: "/root" })).toBe("$HOME \"q\" `id` \\ a b '$(x)'\0");
  });

  it("shellWord of literals only is shellQuote of their concatenation", () => {
    expect(shellWord(["a b", "'c"])).toBe(shellQuote("a b'c"));
    expect(bashSees(shellWord(["a b", "'c"]))).toBe("a b'c\0");
  });
});

describe("renderShellScript: host-provided text stays inside comments", () => {
  it("a line break in a warning (e.g. from a facts file) cannot become a command", () => {
    const facts = dockerFacts({
      nvidia: { gpus: 0, smi: "error", smiError: "boom\ntouch /tmp/INJECTED" },
    });
    const script = renderShellScript(plan({}, facts), { explain: true });
    const bare = script.split("\n").filter((l) => l.includes("touch /tmp/INJECTED"));
    expect(bare.length).toBeGreaterThan(0);
    for (const line of bare) expect(line.startsWith("# ")).toBe(true);
  });
});
