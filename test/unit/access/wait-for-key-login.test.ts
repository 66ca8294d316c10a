import { describe, expect, it } from "vitest";
import type { LoginKey } from "../../../src/access/ssh-keys.js";
import {
  type ProcessOutcome,
  type ProcessRunner,
  canCheckKeyLogin,
  runProcess,
  waitForKeyLogin,
} from "../../../src/access/wait-for-key-login.js";
import { ModelboxDevError } from "../../../src/errors.js";

const target = { host: "127.0.0.1", port: 50022, user: "root", identityFile: "/k" };

function scripted(outcomes: ProcessOutcome[]): ProcessRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run: ProcessRunner = (file, args) => {
    calls.push([file, ...args]);
    const next = outcomes.length > 1 ? outcomes.shift() : outcomes[0];
    return Promise.resolve(next ?? { code: 255, stdout: "", stderr: "" });
  };
  return Object.assign(run, { calls });
}
const fail = (stderr: string): ProcessOutcome => ({ code: 255, stdout: "", stderr });
const ok: ProcessOutcome = { code: 0, stdout: "", stderr: "" };

async function errorOf(promise: Promise<unknown>): Promise<ModelboxDevError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelboxDevError);
  return err as ModelboxDevError;
}

describe("waitForKeyLogin", () => {
  it("polls through sshd still starting until a login succeeds", async () => {
    const run = scripted([
      fail("kex_exchange_identification: Connection closed by remote host"),
      fail("ssh: connect to host 127.0.0.1 port 50022: Connection refused"),
      ok,
    ]);
    await waitForKeyLogin({ ssh: "ssh", target, deadline: Date.now() + 5_000, run, pollMs: 1 });
    expect(run.calls).toHaveLength(3);
    expect(run.calls[0]?.slice(-2)).toEqual(["root@127.0.0.1", "true"]);
  });

  it("a host key that is not the environment's fails at once", async () => {
    const run = scripted([fail("Host key verification failed.")]);
    const err = await errorOf(
      waitForKeyLogin({ ssh: "ssh", target, deadline: Date.now() + 5_000, run, pollMs: 1 }),
    );
    expect(err.code).toBe("KEY_LOGIN_FAILED");
    expect(run.calls).toHaveLength(1);
  });

  it("a key sshd keeps refusing fails with what ssh said", async () => {
    const run = scripted([fail("root@127.0.0.1: Permission denied (publickey).")]);
    const err = await errorOf(
      waitForKeyLogin({
        ssh: "ssh",
        target,
        deadline: Date.now() + 5_000,
        run,
        pollMs: 5,
        deniedGraceMs: 30,
      }),
    );
    expect(err.code).toBe("KEY_LOGIN_FAILED");
    expect(err.details.join("\n")).toContain("Permission denied (publickey)");
  });

  it("offers the given key exchanges, and the client's defaults once sshd takes none of them", async () => {
    const run = scripted([
      fail("Unable to negotiate with 127.0.0.1 port 50022: no matching key exchange method found."),
      ok,
    ]);
    await waitForKeyLogin({
      ssh: "ssh",
      target,
      deadline: Date.now() + 5_000,
      run,
      pollMs: 1,
      kex: "curve25519-sha256",
    });
    expect(run.calls).toHaveLength(2);
    expect(run.calls[0]).toContain("KexAlgorithms=curve25519-sha256");
    expect(run.calls[1]?.join(" ")).not.toContain("KexAlgorithms");
  });

  it("times out with the last ssh error", async () => {
    const run = scripted([fail("ssh: connect to host 127.0.0.1 port 50022: Connection refused")]);
    const err = await errorOf(
      waitForKeyLogin({ ssh: "ssh", target, deadline: Date.now() + 30, run, pollMs: 5 }),
    );
    expect(err.code).toBe("READINESS_TIMEOUT");
    expect(err.details.join("\n")).toContain("Connection refused");
  });
});

describe("canCheckKeyLogin", () => {
  const user: LoginKey = {
    source: "user",
    publicKeyFile: "/k.pub",
    publicKeys: ["ssh-ed25519 AAAAblob me"],
    identityFile: "/k",
  };
  it("the generated key always; a user's key when it opens without a passphrase", async () => {
    expect(await canCheckKeyLogin({ ...user, source: "generated" }, scripted([fail("")]))).toBe(
      true,
    );
    expect(await canCheckKeyLogin(user, scripted([ok]))).toBe(true);
  });
  it("a passphrase-protected key the agent does not hold cannot be checked", async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      expect(await canCheckKeyLogin(user, scripted([fail("incorrect passphrase")]))).toBe(false);
      process.env.SSH_AUTH_SOCK = "/tmp/agent.sock";
      const agent = scripted([
        fail("incorrect passphrase"),
        { code: 0, stdout: "ssh-ed25519 AAAAblob me\n", stderr: "" },
      ]);
      expect(await canCheckKeyLogin(user, agent)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
  });
});

describe("runProcess", () => {
  it("a program that exits without reading its input gives its exit code, and no EPIPE escapes", async () => {
    // 1 MiB does not fit in the pipe: the write is still pending when the program exits.
    const outcome = await runProcess("/bin/sh", ["-c", "echo gone >&2; exit 5"], {
      input: "x".repeat(1 << 20),
    });
    expect(outcome).toEqual({ code: 5, stdout: "", stderr: "gone\n" });
  });
});
