import { describe, expect, it } from "vitest";
import { isHttpStatusLine, parseDevelopQuery } from "../../../src/access/develop-query.js";
import { CONTROL, DEVELOP } from "../../support/upstream-modelbox.js";

const HOME = "/root/modelbox-service";

/** `modelbox-tool develop -q` as ModelBox prints it (exit 0 in every case below). */
function queryOutput(service: string, manager: string, port = 1104, ip = "0.0.0.0"): string {
  return [
    ...DEVELOP.info({ home: HOME, ip, port }),
    DEVELOP.serviceStatus(service),
    DEVELOP.managerStatus(manager),
    "",
  ].join("\n");
}

describe("reading `modelbox-tool develop -q`", () => {
  it("a running server: its status line, pid and listen address", () => {
    expect(parseDevelopQuery(queryOutput(CONTROL.running(57), CONTROL.managerRunning(80)))).toEqual(
      {
        setUp: true,
        serviceStatus: "modelbox service is running. pid 57",
        pid: 57,
        managerStatus: "modelbox-manager service is running. pid 80",
        listen: { ip: "0.0.0.0", port: 1104 },
      },
    );
  });

  it("a stopped server: no pid, although the tool exits 0", () => {
    const q = parseDevelopQuery(queryOutput(CONTROL.notRunning, CONTROL.managerNotRunning, 8080));
    expect(q).toMatchObject({ setUp: true, serviceStatus: CONTROL.notRunning });
    expect(q.pid).toBeUndefined();
    expect(q.listen).toEqual({ ip: "0.0.0.0", port: 8080 });
  });

  it("never set up: ModelBox's 'not found' sentence", () => {
    expect(parseDevelopQuery(`${DEVELOP.notFound}\n`)).toEqual({ setUp: false });
  });

  it("output it does not know (a broken tool) gives no pid and no address", () => {
    const q = parseDevelopQuery("modelbox: cannot load the editor plugin\n");
    expect(q).toEqual({ setUp: true });
  });

  it("an IPv6 listen address keeps its brackets out", () => {
    expect(parseDevelopQuery(queryOutput(CONTROL.running(9), "", 1104, "[::1]")).listen).toEqual({
      ip: "::1",
      port: 1104,
    });
  });
});

describe("an answer from the editor port", () => {
  it("is an HTTP status line, nothing else", () => {
    expect(isHttpStatusLine("HTTP/1.0 200 OK\r")).toBe(true);
    expect(isHttpStatusLine("HTTP/1.1 403 Forbidden")).toBe(true);
    expect(isHttpStatusLine("SSH-2.0-OpenSSH_9.2")).toBe(false);
    expect(isHttpStatusLine("")).toBe(false);
  });
});
