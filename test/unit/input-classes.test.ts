import { describe, expect, it } from "vitest";
import { parseImageReference } from "../../src/catalog/image-reference.js";
import { parsePortPair } from "../../src/environment/forward/port-pair.js";
import { ModelboxDevError } from "../../src/errors.js";
import { isAddressOfThisHost } from "../../src/host/host-address.js";
import { checkText, controlCharacterIn, parseWholeNumber } from "../../src/input-text.js";
import { parseCount } from "../../src/plan/kubernetes/node-facts.js";
import { parseGpuList, planGpu } from "../../src/plan/plan-gpu.js";
import { parsePublish } from "../../src/plan/plan-publish.js";
import { parseCpus, parseMemory, parseSize } from "../../src/plan/resources.js";
import { parseUlimit } from "../../src/plan/ulimits.js";
import { parseEnvArgument } from "../../src/plan/user-env.js";
import {
  parseChipList,
  parseMount,
  parsePort,
  parseRestartPolicy,
  parseTimeoutSeconds,
  validateBindAddress,
  validateName,
} from "../../src/plan/validate.js";
import { parseRegistrySpec } from "../../src/registry/registry-spec.js";
import { cpuOnlyFacts, gpuFacts } from "../support/facts.js";

/** The error `fn` throws: a ModelboxDevError with a hint, or the test fails. */
function refusal(fn: () => unknown): ModelboxDevError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ModelboxDevError);
  const e = thrown as ModelboxDevError;
  expect(e.hint?.trim(), e.message).toBeTruthy();
  return e;
}

/** Each numeric option's reader, given the number in its own syntax. */
const NUMERIC: Array<[string, (n: string) => unknown]> = [
  ["--ssh-port", (n) => parsePort(n, "--ssh-port")],
  ["dashboard --port", (n) => parsePort(n, "--port")],
  ["--cpus", (n) => parseCpus(n)],
  ["--memory", (n) => parseMemory(`${n}g`)],
  ["--shm-size", (n) => parseSize(n, "--shm-size")],
  ["--pvc-size", (n) => parseSize(`${n}Gi`, "--pvc-size")],
  ["--ulimit soft", (n) => parseUlimit(`nofile=${n}`)],
  ["--ulimit hard", (n) => parseUlimit(`nofile=1:${n}`)],
  ["--restart on-failure:N", (n) => parseRestartPolicy(`on-failure:${n}`)],
  ["--timeout", (n) => parseTimeoutSeconds(n)],
  ["--npu", (n) => parseChipList(n)],
  ["--npu range", (n) => parseChipList(`0-${n}`)],
  ["--gpus list", (n) => parseGpuList(n)],
  ["--gpus free:N", (n) => planGpu(`free:${n}`, gpuFacts(2), "cuda")],
  ["--gpus (kubernetes)", (n) => parseCount(n, "--gpus")],
  ["--publish host", (n) => parsePublish(`${n}:80`)],
  ["--publish container", (n) => parsePublish(`80:${n}`)],
  ["forward PORT", (n) => parsePortPair(n)],
  ["forward LOCAL:REMOTE", (n) => parsePortPair(`8080:${n}`)],
  ["logs --tail", (n) => parseWholeNumber(n, "--tail", { min: 0, max: 2 ** 31 - 1, example: "" })],
];

const HUGE = [
  "99999999999999999999",
  "9007199254740993",
  "1e400",
  "1e3",
  "Infinity",
  "NaN",
  "0x10",
  "-1",
  "1_000",
];

describe("numbers of any size", () => {
  // -1 is --ulimit's "unlimited": a number it takes.
  const bad = (what: string) => HUGE.filter((n) => !(what.startsWith("--ulimit") && n === "-1"));
  it.each(NUMERIC.flatMap(([what, read]) => bad(what).map((n) => [what, n, read] as const)))(
    "%s %s is refused with a hint (never rounded, looped on or Infinity)",
    (_, n, read) => {
      refusal(() => read(n));
    },
  );

  it("numbers in range still read as themselves", () => {
    expect(parseTimeoutSeconds("300")).toBe(300);
    expect(parseTimeoutSeconds("0.5")).toBe(0.5);
    expect(parseChipList("0-3,5")).toEqual([0, 1, 2, 3, 5]);
    expect(parseWholeNumber("007", "--tail", { min: 0, max: 10, example: "" })).toBe(7);
    expect(parsePort("65535", "--ssh-port")).toBe(65535);
  });

  it("a timeout longer than a day is refused (Node's timers overflow past 24.8 days)", () => {
    expect(refusal(() => parseTimeoutSeconds("86401")).message).toMatch(/86400/);
    expect(parseTimeoutSeconds("86400")).toBe(86400);
  });
});

describe("an empty value is an error, never 'not given'", () => {
  it.each<[string, () => unknown]>([
    ["checkText", () => checkText("", "--image")],
    ["checkText spaces", () => checkText("  ", "--bind")],
    ["--image", () => parseImageReference("")],
    ["--mount", () => parseMount("")],
    ["--env", () => parseEnvArgument("", () => undefined)],
    ["--env =v", () => parseEnvArgument("=v", () => undefined)],
    ["--gpus", () => planGpu("", gpuFacts(2), "cuda")],
    ["--gpus entry", () => parseGpuList("0,,1")],
    ["--npu", () => parseChipList("")],
    ["--publish", () => parsePublish("")],
    ["--registry", () => parseRegistrySpec("")],
    ["--ulimit", () => parseUlimit("")],
    ["--restart", () => parseRestartPolicy("")],
    ["--timeout", () => parseTimeoutSeconds("")],
    ["--cpus", () => parseCpus("")],
    ["--memory", () => parseMemory("")],
    ["name", () => validateName("")],
  ])("%s", (_, fn) => {
    refusal(fn);
  });
});

describe("no control characters in what ends up in commands, files and URLs", () => {
  const CONTROLS = ["\n", "\r", "\t", "\u0000", "\u001b", "\u007f", "\u0085"];

  it.each(CONTROLS.map((c) => [JSON.stringify(c), c] as const))("%s is named", (_, c) => {
    expect(controlCharacterIn(`a${c}b`)).toMatch(/U\+00[0-9A-F]{2}/);
  });

  it.each<[string, (c: string) => unknown]>([
    ["--mount source", (c) => parseMount(`/data${c}x:/data`)],
    ["--mount target", (c) => parseMount(`/data:/da${c}ta`)],
    ["--image", (c) => parseImageReference(`modelbox/x${c}:1`)],
    ["--registry", (c) => parseRegistrySpec(`mirror.example.com${c}/modelbox`)],
    ["--env name", (c) => parseEnvArgument(`A${c}B=1`, () => undefined)],
    ["--bind", (c) => validateBindAddress(`127.0.0.1${c}`)],
    ["name", (c) => validateName(`box${c}x`)],
    ["any option", (c) => checkText(`x${c}`, "--host-address")],
  ])("%s", (_, make) => {
    for (const c of CONTROLS) refusal(() => make(c));
  });

  it("a variable's value may hold a newline: it reaches the container only", () => {
    expect(parseEnvArgument("CERT=a\nb", () => undefined)).toEqual(["CERT", "a\nb"]);
  });
});

describe("values that name things on the host", () => {
  const addresses = ["127.0.0.1", "::1", "192.0.2.2", "fe80::1%eth0", "fd00::2"];

  it.each([
    ["0.0.0.0", true],
    ["::", true],
    ["127.0.0.1", true],
    ["127.3.4.5", true],
    ["::1", true],
    ["192.0.2.2", true],
    ["fd00:0:0::2", true],
    ["fe80::1", true],
    ["FD00:0000:0000:0000:0000:0000:0000:0002", true],
    ["fe80::1%eth1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["10.254.254.254", false],
    ["192.0.2.3", false],
    ["2001:db8::1", false],
    ["not-an-ip", false],
  ] as const)("--bind %s is an address of this host: %s", (address, own) => {
    expect(isAddressOfThisHost(address, addresses)).toBe(own);
  });

  it.each(["0,,1", ",0", "abc", "-1", "0,0", "1,01", "GPU", "0;1", "99999"])(
    "--gpus %s is malformed: INVALID_OPTION, on a host with or without GPUs",
    (spec) => {
      for (const facts of [gpuFacts(2), cpuOnlyFacts()]) {
        expect(refusal(() => planGpu(spec, facts, "cuda")).code).toBe("INVALID_OPTION");
      }
    },
  );

  it("an index beyond the host's GPUs names how many there are and lists them", () => {
    const e = refusal(() => planGpu("0,5", gpuFacts(2), "cuda"));
    expect(e.code).toBe("GPU_UNAVAILABLE");
    expect(e.message).toMatch(/GPU 5 is not on this host: it has 2 GPUs \(indices 0 to 1\)/);
    expect(e.hint).toMatch(/0 \(.*\), 1 \(/);
  });

  it("an unknown UUID says no GPU has it; an index and the UUID of one GPU are one GPU twice", () => {
    const facts = gpuFacts(2);
    const uuid = facts.nvidia?.gpus[1]?.uuid;
    expect(
      refusal(() => planGpu("GPU-00000000-0000-0000-0000-000000000000", facts, "cuda")).message,
    ).toMatch(/no GPU has that UUID/);
    if (uuid) {
      expect(refusal(() => planGpu(`1,${uuid}`, facts, "cuda")).message).toMatch(/twice/);
      expect(planGpu(uuid, facts, "cuda").gpu).toMatchObject({ devices: [uuid] });
    }
    expect(planGpu("1,0", facts, "cuda").gpu).toMatchObject({ devices: ["1", "0"] });
  });

  it("--npu names a chip once", () => {
    expect(refusal(() => parseChipList("0-3,2")).message).toMatch(/more than once/);
  });
});
