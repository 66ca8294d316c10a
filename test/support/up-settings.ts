import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { UpOptions } from "../../src/plan/options.js";
import type { EnvironmentOptions } from "../../src/plan/options.js";
import { DEVELOP_IMAGE, freePorts } from "./fixture-names.js";

/**
 * `up` options for engine tests from the planner's options: never pull (the fixtures are local),
 * a bounded wait, and no editor or ~/.ssh/config entry unless a test asks (access.test.ts does).
 */
export function testUpOptions(
  environment: EnvironmentOptions,
  overrides: UpOptions = {},
): UpOptions {
  const e = environment;
  return {
    ...(e.name !== undefined ? { name: e.name } : {}),
    image: e.image,
    ...(e.gpus !== undefined ? { gpus: e.gpus } : {}),
    ...(e.npu !== undefined ? { npu: e.npu } : {}),
    ...(e.debug !== undefined ? { debug: e.debug } : {}),
    ...(e.mounts ? { mount: e.mounts } : {}),
    ...(e.defaultMounts !== undefined ? { defaultMounts: e.defaultMounts } : {}),
    ...(e.sshPort !== undefined ? { sshPort: e.sshPort } : {}),
    ...(e.editorPort !== undefined ? { editorPort: e.editorPort } : {}),
    ...(e.httpPort !== undefined ? { httpPort: e.httpPort } : {}),
    ...(e.bind !== undefined ? { bind: e.bind } : {}),
    ...(e.kind !== undefined ? { kind: e.kind } : {}),
    ...(e.publish ? { publish: e.publish } : {}),
    // The user's variables: the files by path, the rest as NAME=value.
    ...(e.userEnv
      ? {
          envFile: e.userEnv.files,
          env: Object.entries(e.userEnv.values.fromFlags).map(([k, v]) => `${k}=${v}`),
        }
      : {}),
    ...(e.cpus !== undefined ? { cpus: e.cpus } : {}),
    ...(e.memory !== undefined ? { memory: e.memory } : {}),
    ...(e.shmSize !== undefined ? { shmSize: e.shmSize } : {}),
    ...(e.ulimits ? { ulimit: e.ulimits } : {}),
    ...(e.homeVolume !== undefined ? { homeVolume: e.homeVolume } : {}),
    pull: "never",
    timeout: 60,
    developMode: false,
    sshConfig: false,
    ...overrides,
  };
}

/**
 * `up` installs keys under ~/.modelbox-dev and may edit ~/.ssh/config: engine tests give it a
 * HOME of their own (the test process's, so the user's files are never touched).
 */
export function useTestHome(): string {
  const home = mkdtempSync(join(tmpdir(), "mbdev-engine-home-"));
  process.env.HOME = home;
  return home;
}

/** A develop environment on loopback: options both the planner and `up` take as they are. */
export interface LoopbackDevelopOptions {
  name: string;
  image: string;
  bind: "127.0.0.1";
  sshPort: number;
  editorPort: number;
  httpPort: number;
  defaultMounts: false;
}

/**
 * A develop environment as the engine tests start it: fresh host ports published on 127.0.0.1
 * only, and none of the seed's host mounts.
 */
export async function loopbackDevelopOptions(name: string): Promise<LoopbackDevelopOptions> {
  const [ssh = 0, editor = 0, http = 0] = await freePorts(3);
  return {
    name,
    image: DEVELOP_IMAGE,
    bind: "127.0.0.1",
    sshPort: ssh,
    editorPort: editor,
    httpPort: http,
    defaultMounts: false,
  };
}
