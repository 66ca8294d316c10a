import { describe, expect, it } from "vitest";
import { chooseProbeImage } from "../../../../src/host/remote/choose-probe-image.js";
import { parseProcNetTcp, portFree } from "../../../../src/host/remote/proc-net-tcp.js";

// /proc/net/tcp and /proc/net/tcp6 as a Linux 6.x host prints them (sshd on *:22, a service on
// 127.0.0.1:8080, one established connection, dockerd's docker-proxy on [::]:50022).
const PROC_NET_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21731 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40211 1 0000000000000000 100 0 0 10 0
   2: 0200000A:0016 0100000A:D3B4 01 00000000:00000000 02:0009F8AA 00000000     0        0 51233 4 0000000000000000 20 4 29 10 -1
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:C3A6 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 33817 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000200007F:0457 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 33818 1 0000000000000000 100 0 0 10 0
`;

describe("listening ports read from the engine's host", () => {
  it("finds the listening sockets (not the established ones) with their addresses", () => {
    expect(parseProcNetTcp(PROC_NET_TCP)).toEqual([
      { address: "0.0.0.0", port: 22 },
      { address: "127.0.0.1", port: 8080 },
      { address: "::", port: 50086 },
      { address: "127.0.0.2", port: 1111 },
    ]);
  });

  it("a port is taken by a wildcard listener for every address, else only for its own", () => {
    const listeners = parseProcNetTcp(PROC_NET_TCP);
    expect(portFree(listeners, 22, "127.0.0.1")).toBe(false);
    expect(portFree(listeners, 8080, "127.0.0.1")).toBe(false);
    expect(portFree(listeners, 8080, "127.0.0.2")).toBe(true);
    expect(portFree(listeners, 8080, "0.0.0.0")).toBe(false);
    expect(portFree(listeners, 1104, "0.0.0.0")).toBe(true);
  });
});

describe("the probe's image", () => {
  const images = [
    { id: "a", repoTags: ["registry.local/team/tool:3"] },
    { id: "b", repoTags: ["debian:12"] },
    {
      id: "c",
      repoTags: ["modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest"],
    },
  ];

  it("is the image up is about to run when the host has it", () => {
    expect(chooseProbeImage(images, "debian:12")).toBe("debian:12");
  });

  it("else a ModelBox image, then a distribution base, then anything tagged", () => {
    expect(chooseProbeImage(images)).toMatch(/^modelbox\//);
    expect(chooseProbeImage(images.slice(0, 2))).toBe("debian:12");
    expect(chooseProbeImage(images.slice(0, 1))).toBe("registry.local/team/tool:3");
  });

  it("is none on a host without images (nothing is pulled for a probe)", () => {
    expect(chooseProbeImage([{ id: "x", repoTags: [] }])).toBeUndefined();
  });
});
