import { readFileSync } from "node:fs";
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

const LOWEST_TEST_PORT = 20000;
/** Where test ports end when the kernel's range for outgoing connections cannot be read. */
const TOP_TEST_PORT = 40000;

/**
 * The first port the kernel hands out for outgoing connections (32768 on Linux by default): test
 * ports stay below it, so that no client socket of the run (ssh, an HTTP poll) takes one between
 * its check and its use.
 */
function ephemeralStart(): number {
  try {
    const low = Number(
      readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0],
    );
    return Number.isInteger(low) && low > LOWEST_TEST_PORT + 2000 ? low : TOP_TEST_PORT;
  } catch {
    return TOP_TEST_PORT;
  }
}

/** How many ports tests draw from, starting at LOWEST_TEST_PORT. */
const TEST_PORT_SPAN = Math.min(ephemeralStart(), TOP_TEST_PORT) - LOWEST_TEST_PORT;

/** Free host ports for a test (never the defaults), distinct within this test process. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = LOWEST_TEST_PORT + Math.floor(Math.random() * TEST_PORT_SPAN);
    if (handedOut.has(port) || !(await listenCheck(port, "0.0.0.0"))) continue;
    handedOut.add(port);
    ports.push(port);
  }
  return ports;
}
