#!/usr/bin/env node
// A pass-through proxy in front of the engine's unix socket that prints when each request
// arrives: "<epoch ms> <METHOD> <path>" per line on stdout. bench/run.mjs points `up` at it to
// time the create call itself (the engine's create event comes only once the container is made).
// Usage: engine-proxy.mjs LISTEN_SOCKET ENGINE_SOCKET; prints "ready" once it listens.
import { rmSync } from "node:fs";
import net from "node:net";

const [listen, engine] = process.argv.slice(2);
// The start of a request line (the path is cut at 200 characters: a create call's query, with
// the labels in it, can be longer than one chunk).
const REQUEST_LINE = /^(GET|HEAD|POST|PUT|DELETE) (\/\S{0,200})/;
const now = () => performance.timeOrigin + performance.now();

rmSync(listen, { force: true });
// Half-open both ways: an exec's client ends its stdin while the output still comes back.
const server = net.createServer({ allowHalfOpen: true }, (client) => {
  const upstream = net.connect({ path: engine, allowHalfOpen: true });
  client.on("data", (chunk) => {
    const m = REQUEST_LINE.exec(chunk.subarray(0, 256).toString("latin1"));
    if (m) process.stdout.write(`${now().toFixed(1)} ${m[1]} ${m[2]}\n`);
    upstream.write(chunk);
  });
  upstream.on("data", (chunk) => client.write(chunk));
  client.on("end", () => upstream.end());
  upstream.on("end", () => client.end());
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
});
server.listen(listen, () => process.stdout.write("ready\n"));
