import { listenCheck } from "../host/probe-ports.js";

/** Free ports on 127.0.0.1 here (for SSH tunnels), from the dynamic range. */
export async function freeLocalPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count && tries < 200; tries++) {
    const port = 49152 + Math.floor(Math.random() * 16000);
    if (!ports.includes(port) && (await listenCheck(port, "127.0.0.1"))) ports.push(port);
  }
  return ports;
}
