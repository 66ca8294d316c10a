import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { UpOptions } from "../../src/plan/options.js";
import type { EnvironmentOptions } from "../../src/plan/options.js";

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
