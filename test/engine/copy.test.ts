import { createHash } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PassThrough, Readable } from "node:stream";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { type CopyOptions, copy } from "../../src/environment/copy/copy-files.js";
import type { OperationEvent } from "../../src/environment/operation.js";
import { ModelboxDevError } from "../../src/errors.js";
import { LABELS } from "../../src/labels.js";
import {
  TEST_LABEL,
  describeEngine,
  engineClient,
  execIn,
  removeContainers,
  uniqueName,
} from "../support/engine.js";
import { RUNTIME_IMAGE, tagFixtures } from "../support/fixture-names.js";

const PREFIX = "copy";
const engine = new DockerEngine();
let box = "";
let host = "";

/** A managed environment as far as cp is concerned: our labels, the environments' tmpfs. */
async function createEnvironment(start: boolean): Promise<string> {
  const name = uniqueName(PREFIX);
  const container = await engineClient().createContainer({
    name,
    Image: RUNTIME_IMAGE,
    Cmd: ["sleep", "infinity"],
    Labels: { [LABELS.managed]: "true", [LABELS.name]: name, [TEST_LABEL]: "true" },
    HostConfig: { Tmpfs: { "/tmp": "", "/run": "" } },
  });
  if (start) await container.start();
  return name;
}

function run(options: CopyOptions, events?: OperationEvent[]) {
  return copy(
    { cwd: host, ...options },
    { engine, ...(events ? { onEvent: (e) => events.push(e) } : {}) },
  );
}

async function inBox(name: string, script: string): Promise<string> {
  const r = await execIn(engineClient().getContainer(name), ["sh", "-c", script]);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout;
}

async function failure(promise: Promise<unknown>, code: string): Promise<ModelboxDevError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelboxDevError);
  expect((err as ModelboxDevError).code).toBe(code);
  expect((err as ModelboxDevError).hint ?? "").not.toBe("");
  return err as ModelboxDevError;
}

/** Every file under `dir`, with the sha256 of its contents (symlinks as "-> target"). */
function hostTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const key = relative(dir, path);
      if (entry.isDirectory()) walk(path);
      else if (entry.isSymbolicLink()) out[key] = `-> ${readlinkSync(path)}`;
      else out[key] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

/** The same listing made inside the environment. */
async function boxTree(name: string, dir: string): Promise<Record<string, string>> {
  const listing = await inBox(
    name,
    `cd ${dir} && find . -type f -exec sha256sum {} + | sed 's#  \\./#\\t#' && ` +
      `find . -type l | while read l; do printf '%s\\t-> %s\\n' "\${l#./}" "$(readlink "$l")"; done`,
  );
  const out: Record<string, string> = {};
  for (const line of listing.split("\n").filter(Boolean)) {
    const [a = "", b = ""] = line.split("\t");
    // "hash<TAB>path" for files, "path<TAB>-> target" for symlinks
    if (b.startsWith("-> ")) out[a] = b;
    else out[b] = a;
  }
  return out;
}

function makeTree(root: string): void {
  mkdirSync(join(root, "sub", "deeper"), { recursive: true });
  writeFileSync(join(root, "model.onnx"), Buffer.alloc(70_000, 7));
  writeFileSync(join(root, "sub", "graph.toml"), "[graph]\nname = 'x'\n");
  writeFileSync(join(root, "sub", "deeper", "empty"), "");
  writeFileSync(join(root, "run.sh"), "#!/bin/sh\necho ok\n", { mode: 0o755 });
  symlinkSync("graph.toml", join(root, "sub", "current.toml"));
}

describeEngine("cp against a real engine", () => {
  beforeAll(async () => {
    await tagFixtures();
    await removeContainers(PREFIX);
    box = await createEnvironment(true);
    host = mkdtempSync(join(tmpdir(), "mbdev-cp-"));
    makeTree(join(host, "project"));
  });
  afterAll(async () => {
    await removeContainers(PREFIX);
  });

  it("a directory tree goes in and comes back out with the same contents and modes", async () => {
    const into = await run({ source: "project", destination: `${box}:/root/` });
    expect(into).toMatchObject({ ok: true, direction: "to-environment", path: "/root/project" });
    expect(await boxTree(box, "/root/project")).toEqual(hostTree(join(host, "project")));
    expect((await inBox(box, "stat -c %a /root/project/run.sh")).trim()).toBe("755");

    mkdirSync(join(host, "back"));
    const out = await run({ source: `${box}:/root/project`, destination: "back" });
    expect(out).toMatchObject({ direction: "from-environment", path: join(host, "back/project") });
    expect(out.entries).toBe(8);
    expect(hostTree(join(host, "back", "project"))).toEqual(hostTree(join(host, "project")));
    expect(statSync(join(host, "back", "project", "run.sh")).mode & 0o777).toBe(0o755);
  });

  it("single files: to a new name, onto an existing file, into a directory, and back", async () => {
    writeFileSync(join(host, "a.txt"), "first\n");
    await run({ source: "a.txt", destination: `${box}:/root/renamed.txt` });
    expect(await inBox(box, "cat /root/renamed.txt")).toBe("first\n");
    writeFileSync(join(host, "a.txt"), "second\n");
    await run({ source: "a.txt", destination: `${box}:/root/renamed.txt` });
    expect(await inBox(box, "cat /root/renamed.txt")).toBe("second\n");
    await run({ source: join(host, "a.txt"), destination: `${box}:/root` });
    expect(await inBox(box, "cat /root/a.txt")).toBe("second\n");

    await run({ source: `${box}:/root/renamed.txt`, destination: "out.txt" });
    expect(readFileSync(join(host, "out.txt"), "utf8")).toBe("second\n");
    await run({ source: `${box}:root/a.txt`, destination: "." });
    expect(readFileSync(join(host, "a.txt"), "utf8")).toBe("second\n");
  });

  it("'/.' copies a directory's contents, both ways", async () => {
    await inBox(box, "mkdir -p /root/target && echo keep > /root/target/existing");
    await run({ source: "project/.", destination: `${box}:/root/target` });
    expect(await inBox(box, "ls /root/target | sort")).toBe(
      ["existing", "model.onnx", "run.sh", "sub", ""].join("\n"),
    );
    await run({ source: `${box}:/root/target/.`, destination: "flat" });
    expect(readdirSync(join(host, "flat")).sort()).toEqual([
      "existing",
      "model.onnx",
      "run.sh",
      "sub",
    ]);
  });

  it("symlinks are copied as links; -L copies what they point to", async () => {
    await inBox(box, "echo target > /root/real && ln -sf real /root/link");
    await run({ source: `${box}:/root/link`, destination: "link-as-link" });
    expect(readlinkSync(join(host, "link-as-link"))).toBe("real");
    mkdirSync(join(host, "followed"));
    await run({ source: `${box}:/root/link`, destination: "followed", followLink: true });
    expect(readFileSync(join(host, "followed", "link"), "utf8")).toBe("target\n");
  });

  it("refuses what docker cp refuses, with docker cp's meaning and a hint", async () => {
    await inBox(box, "echo x > /root/file");
    writeFileSync(join(host, "a.txt"), "second\n");
    const cases: Array<[CopyOptions, string, RegExp]> = [
      [{ source: `${box}:/root/nope`, destination: "." }, "PATH_NOT_FOUND", /Nothing at/],
      [{ source: "project", destination: `${box}:/root/file` }, "PATH_CONFLICT", /onto the file/],
      [
        { source: "a.txt", destination: `${box}:/root/newdir/` },
        "PATH_NOT_FOUND",
        /must be an existing directory/,
      ],
      [
        { source: "a.txt", destination: `${box}:/root/no/such/x` },
        "PATH_NOT_FOUND",
        /\/root\/no\/such does not exist/,
      ],
      [{ source: `${box}:/root/file/`, destination: "." }, "PATH_CONFLICT", /not a directory/],
      [{ source: "a.txt", destination: `${box}:/tmp/` }, "PATH_NOT_COPYABLE", /tmpfs/],
      [{ source: `${box}:/proc/cpuinfo`, destination: "." }, "PATH_NOT_COPYABLE", /kernel/],
      [
        { source: `${box}:/root/file`, destination: "no/such/dir/x" },
        "PATH_NOT_FOUND",
        /does not exist/,
      ],
    ];
    for (const [options, code, message] of cases) {
      const err = await failure(run(options), code);
      expect(err.message, JSON.stringify(options)).toMatch(message);
    }
    // Nothing was created by the refused copies.
    expect(await inBox(box, "ls -d /root/newdir /root/no 2>/dev/null; true")).toBe("");
  });

  it("only environments modelbox-dev manages", async () => {
    const name = uniqueName(PREFIX);
    await engineClient().createContainer({
      name,
      Image: RUNTIME_IMAGE,
      Cmd: ["true"],
      Labels: { [TEST_LABEL]: "true" },
    });
    await failure(run({ source: "a.txt", destination: `${name}:/root/` }), "NOT_MANAGED");
    await failure(run({ source: "a.txt", destination: "nosuchbox:/root/" }), "NOT_FOUND");
  });

  it("a stopped environment takes and gives files too", async () => {
    const stopped = await createEnvironment(false);
    await run({ source: "a.txt", destination: `${stopped}:/root/` });
    await run({ source: `${stopped}:/root/a.txt`, destination: "from-stopped.txt" });
    expect(readFileSync(join(host, "from-stopped.txt"), "utf8")).toBe("second\n");
  });

  it("tar streams in and out, as '-'", async () => {
    const out = new PassThrough();
    const names: string[] = [];
    const listing = new Promise<void>((resolve) => {
      out.pipe(tar.t({ onReadEntry: (e) => names.push(e.path) })).on("end", resolve);
    });
    const result = await run({ source: `${box}:/root/project/sub`, destination: "-", output: out });
    out.end();
    await listing;
    expect(result.path).toBe("-");
    expect(names.sort()).toEqual([
      "sub/",
      "sub/current.toml",
      "sub/deeper/",
      "sub/deeper/empty",
      "sub/graph.toml",
    ]);

    await inBox(box, "mkdir -p /root/target");
    const input = Readable.from(tar.c({ cwd: join(host, "project") }, ["run.sh"]));
    await run({ source: "-", destination: `${box}:/root/target`, input });
    expect(await inBox(box, "/root/target/run.sh")).toBe("ok\n");
    await failure(
      run({ source: "-", destination: `${box}:/root/file`, input: new PassThrough() }),
      "PATH_CONFLICT",
    );
  });

  describe("a large tree", () => {
    const big = () => join(host, "big");
    beforeAll(() => {
      for (let d = 0; d < 8; d++) {
        mkdirSync(join(big(), `d${d}`), { recursive: true });
        for (let f = 0; f < 8; f++) {
          writeFileSync(join(big(), `d${d}`, `f${f}`), Buffer.alloc(400_000, d * 8 + f));
        }
      }
    });

    it("reports progress both ways: growing byte counts, the total when it is known", async () => {
      const up: OperationEvent[] = [];
      const into = await run({ source: "big", destination: `${box}:/root/` }, up);
      const start = up.find((e) => e.type === "transfer" && e.phase === "start");
      expect(start).toMatchObject({ direction: "to-environment", to: `${box}:/root/big` });
      const progress = up.flatMap((e) =>
        e.type === "transfer" && e.phase === "progress" ? [e] : [],
      );
      expect(progress.length).toBeGreaterThan(1);
      const counts = progress.map((e) => e.bytes);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(counts.at(-1)).toBe(into.bytes);
      const total = progress[0]?.totalBytes ?? 0;
      expect(Math.abs(total - into.bytes) / into.bytes).toBeLessThan(0.05);
      expect(into.bytes).toBeGreaterThan(64 * 400_000);

      const down: OperationEvent[] = [];
      const out = await run({ source: `${box}:/root/big`, destination: "big-back" }, down);
      const back = down.flatMap((e) =>
        e.type === "transfer" && e.phase === "progress" ? [e.bytes] : [],
      );
      expect(back.length).toBeGreaterThan(1);
      expect(back.at(-1)).toBe(out.bytes);
      expect(hostTree(join(host, "big-back"))).toEqual(hostTree(big()));
    });

    it("an abort mid-transfer ends as INTERRUPTED", async () => {
      const controller = new AbortController();
      const err = await copy(
        { cwd: host, source: "big", destination: `${box}:/root/big-aborted` },
        {
          engine,
          signal: controller.signal,
          onEvent: (e) => {
            if (e.type === "transfer" && e.phase === "progress") controller.abort();
          },
        },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ModelboxDevError);
      expect((err as ModelboxDevError).code).toBe("INTERRUPTED");
    });
  });
});
