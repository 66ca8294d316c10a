import { describe, expect, it } from "vitest";
import type { PublishedPort } from "../../src/engine/types.js";
import { LABELS } from "../../src/labels.js";
import { bindAddressOf, hostPortsByPurpose } from "../../src/published-ports.js";

/** The labels `up` (and the unedited script) put on a develop environment. */
const developLabels = {
  [LABELS.kind]: "develop",
  [LABELS.ports]: "ssh=50022,editor=1104,http=8080",
  [LABELS.spec]: JSON.stringify({
    ports: ["ssh=50022->22", "editor=1104->1104", "http=8080->8080"],
  }),
};
const port = (hostPort: number, containerPort: number, hostIp = "0.0.0.0"): PublishedPort => ({
  hostIp,
  hostPort,
  containerPort,
});

describe("ports come from the engine, the labels only say what was planned", () => {
  it("an unedited environment: the engine's ports, which agree with the labels", () => {
    const c = {
      labels: developLabels,
      ports: [port(50022, 22), port(1104, 1104), port(8080, 8080)],
    };
    expect(hostPortsByPurpose(c)).toEqual({ ssh: 50022, editor: 1104, http: 8080 });
  });

  it("a script whose port variables were edited: the engine's ports win over the labels", () => {
    const c = {
      labels: developLabels,
      ports: [port(50122, 22), port(1204, 1104), port(9090, 9090)],
    };
    expect(hostPortsByPurpose(c)).toEqual({ ssh: 50122, editor: 1204, http: 9090 });
  });

  it("Docker's IPv4 and IPv6 bindings of one port count once, the IPv4 one first", () => {
    const c = {
      labels: developLabels,
      ports: [port(50022, 22, "::"), port(50022, 22), port(8081, 8080, "::"), port(8081, 8080)],
    };
    expect(hostPortsByPurpose(c)).toEqual({ ssh: 50022, http: 8081 });
    expect(bindAddressOf(c)).toBe("0.0.0.0");
  });

  it("a default HTTP port that moved keeps 8080 inside; several extra ports: the planned one", () => {
    const c = {
      labels: {
        ...developLabels,
        [LABELS.spec]: JSON.stringify({ ports: ["http=127.0.0.1:8081->8080"] }),
      },
      ports: [port(8081, 8080, "127.0.0.1"), port(9000, 9000, "127.0.0.1")],
    };
    expect(hostPortsByPurpose(c)).toEqual({ http: 8081 });
    expect(bindAddressOf(c)).toBe("127.0.0.1");
  });

  it("a runtime environment has only the HTTP port, whatever its number inside", () => {
    const c = { labels: { [LABELS.kind]: "runtime" }, ports: [port(8080, 22)] };
    expect(hostPortsByPurpose(c)).toEqual({ http: 8080 });
  });

  it("a stopped container the engine reports without ports has none (nothing is guessed)", () => {
    expect(hostPortsByPurpose({ labels: developLabels, ports: [] })).toEqual({});
    expect(bindAddressOf({ labels: developLabels, ports: [] })).toBe("");
  });
});
