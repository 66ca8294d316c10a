import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { assertOwnedOrForced, invokingUser, ownerOf } from "../../../src/environment/owner.js";
import { ModelboxDevError } from "../../../src/errors.js";
import { LABELS } from "../../../src/labels.js";

const env = (owner?: string): { name: string; labels: Record<string, string> } => ({
  name: "box",
  labels: owner === undefined ? {} : { [LABELS.owner]: owner },
});

describe("owners on a shared server", () => {
  it("the invoking user: the one who ran sudo under sudo, else this process' user", () => {
    expect(invokingUser({ SUDO_USER: "alice" })).toBe("alice");
    expect(invokingUser({})).toBe(userInfo().username);
    expect(invokingUser({ SUDO_USER: " " })).toBe(userInfo().username);
  });

  it("someone else's environment needs force, and the refusal says whose it is", () => {
    let err: unknown;
    try {
      assertOwnedOrForced(env("alice"), "stop", false, "bob");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelboxDevError);
    const refusal = err as ModelboxDevError;
    expect(refusal.code).toBe("NOT_OWNER");
    expect(refusal.message).toContain("belongs to alice");
    expect(refusal.hint).toContain("modelbox-dev stop --force box");
  });

  it("one's own, forced, or made before owners were recorded: allowed", () => {
    expect(() => assertOwnedOrForced(env("alice"), "rm", false, "alice")).not.toThrow();
    expect(() => assertOwnedOrForced(env("alice"), "rm", true, "bob")).not.toThrow();
    expect(() => assertOwnedOrForced(env(), "passwd", false, "bob")).not.toThrow();
    expect(ownerOf(env())).toBeUndefined();
    expect(ownerOf(env(""))).toBeUndefined();
  });
});
