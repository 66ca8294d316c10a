import { describe, expect, it } from "vitest";
import {
  addressesOverlap,
  formatPublish,
  parsePublish,
  planPublish,
  reservedByPublish,
} from "../../../src/plan/plan-publish.js";
import { expectError } from "./errors.js";

describe("--publish [IP:]HOST:CONTAINER[/udp]", () => {
  it("reads docker's forms", () => {
    expect(parsePublish("6006:6006")).toEqual({
      hostIp: "",
      hostPort: 6006,
      containerPort: 6006,
      protocol: "tcp",
    });
    expect(parsePublish("127.0.0.1:2345:1234/tcp")).toMatchObject({
      hostIp: "127.0.0.1",
      hostPort: 2345,
      containerPort: 1234,
    });
    expect(parsePublish("[::1]:5353:53/udp")).toEqual({
      hostIp: "::1",
      hostPort: 5353,
      containerPort: 53,
      protocol: "udp",
    });
    expect(parsePublish("0.0.0.0:80:8080/UDP").protocol).toBe("udp");
  });

  it("writes them back as docker run -p does", () => {
    for (const text of ["6006:6006", "127.0.0.1:2345:1234", "[::1]:5353:53/udp"]) {
      expect(formatPublish(parsePublish(text))).toBe(text);
    }
  });

  it("refuses what it cannot publish, saying why", () => {
    const cases: Array<[string, RegExp]> = [
      ["8080", /both a host and a container port/],
      ["0:80", /host port "0"/],
      ["80:70000", /container port "70000"/],
      ["80:80/sctp", /protocol "sctp"/],
      ["localhost:80:80", /not an IP address/],
      ["8000-8010:8000-8010", /ranges are not supported/],
      ["::1:80:80", /both a host and a container port/],
    ];
    for (const [text, why] of cases) {
      expect(expectError(() => parsePublish(text), "INVALID_PORT").message).toMatch(why);
    }
  });
});

describe("published ports against each other and the host", () => {
  it("the same host port twice is a conflict where the addresses overlap", () => {
    expectError(() => planPublish(["9000:1", "9000:2"], []), "PORT_CONFLICT");
    expectError(() => planPublish(["127.0.0.1:9000:1", "9000:2"], []), "PORT_CONFLICT");
    // Other protocol, or two distinct addresses: both fine.
    expect(planPublish(["9000:1", "9000:1/udp"], [])).toHaveLength(2);
    expect(planPublish(["127.0.0.1:9000:1", "127.0.0.2:9000:1"], [])).toHaveLength(2);
  });

  it("a TCP host port in use is refused, naming who holds it", () => {
    const e = expectError(
      () => planPublish(["6006:6006"], [{ port: 6006, by: "container", detail: "tb" }]),
      "PORT_IN_USE",
    );
    expect(e.message).toContain("container tb");
    expect(e.hint).toContain("--publish 6007:6006");
  });

  it("reserves TCP host ports that overlap the plan's bind address", () => {
    const planned = planPublish(["6006:6006", "127.0.0.2:7000:7000", "5353:53/udp"], []);
    expect([...reservedByPublish(planned, "127.0.0.1").keys()]).toEqual([6006]);
    expect([...reservedByPublish(planned, "").keys()]).toEqual([6006, 7000]);
    expect(addressesOverlap("::", "127.0.0.1")).toBe(true);
  });
});
