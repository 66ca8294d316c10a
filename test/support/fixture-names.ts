import { listenCheck } from "../../src/host/probe-ports.js";
import {
  FIXTURE_DEVELOP_IMAGE,
  FIXTURE_HASH,
  FIXTURE_RUNTIME_IMAGE,
  engineClient,
} from "./engine.js";

/**
 * The fixture images under published ModelBox names (tag `fixture-<hash>`, so checkouts sharing
 * an engine do not retag each other's), so the tool treats them as it treats the real images:
 * develop → sshd and the editor, runtime → neither.
 */
export const DEVELOP_IMAGE = `modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:fixture-${FIXTURE_HASH}`;
export const RUNTIME_IMAGE = `modelbox/modelbox-runtime-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:fixture-${FIXTURE_HASH}`;

export async function tagFixtures(): Promise<void> {
  const docker = engineClient();
  for (const [source, target] of [
    [FIXTURE_DEVELOP_IMAGE, DEVELOP_IMAGE],
    [FIXTURE_RUNTIME_IMAGE, RUNTIME_IMAGE],
  ] as const) {
    const [repo, tag] = target.split(":") as [string, string];
    await docker.getImage(source).tag({ repo, tag });
  }
}

const handedOut = new Set<number>();

/** Free host ports for a test (never the defaults), distinct within this test process. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (handedOut.has(port) || !(await listenCheck(port, "0.0.0.0"))) continue;
    handedOut.add(port);
    ports.push(port);
  }
  return ports;
}
