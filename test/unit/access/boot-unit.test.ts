import { describe, expect, it } from "vitest";
import {
  bootUnitText,
  environmentNames,
  parseBootUnitState,
  systemdQuote,
} from "../../../src/access/boot-unit.js";

describe("the boot unit that starts the editor's server", () => {
  const text = bootUnitText(["LD_LIBRARY_PATH", "NVIDIA_VISIBLE_DEVICES", "PATH"]);

  it("starts the server, then its manager, with the home's control scripts, at multi-user", () => {
    expect(text).toMatch(/^ExecStart=\/root\/modelbox-service\/modelbox start$/m);
    expect(text).toMatch(/^ExecStart=-\/root\/modelbox-service\/modelbox-manager start$/m);
    expect(text).toMatch(/^ExecStop=\/root\/modelbox-service\/modelbox stop$/m);
    expect(text).toMatch(/^ConditionFileIsExecutable=\/root\/modelbox-service\/modelbox$/m);
    expect(text).toMatch(/^Type=oneshot$/m);
    expect(text).toMatch(/^RemainAfterExit=yes$/m);
    expect(text).toMatch(/^WantedBy=multi-user\.target$/m);
  });

  it("hands the server the container's environment and root's HOME", () => {
    expect(text).toMatch(/^PassEnvironment=LD_LIBRARY_PATH NVIDIA_VISIBLE_DEVICES PATH$/m);
    expect(text).toMatch(/^Environment=HOME=\/root$/m);
    expect(bootUnitText([])).not.toMatch(/PassEnvironment/);
  });

  it("drops stale pid files first, with every $ escaped for systemd", () => {
    const line = text.split("\n").find((l) => l.startsWith("ExecStartPre="));
    expect(line).toMatch(/^ExecStartPre=\/bin\/sh -c '.*' sh \/root\/modelbox-service$/);
    expect(line?.replace(/\$\$/g, "")).not.toContain("$");
    expect(line).toContain('grep -qaF -- "$$f" "/proc/$$p/cmdline"');
  });

  it("quotes one argument: $ and % doubled, backslashes escaped, quotes refused", () => {
    expect(systemdQuote('echo "$HOME" 100% \\n')).toBe(`'echo "$$HOME" 100%% \\\\n'`);
    expect(() => systemdQuote("it's")).toThrow();
  });

  it("passes the names of PID 1's variables, not systemd's own", () => {
    const environ = [
      "PATH=/usr/bin",
      "container=docker",
      "HOME=/root",
      "NVIDIA_REQUIRE_CUDA=cuda>=11.2 brand=tesla",
      "TERM=xterm",
      "weird-name=1",
      "",
    ].join("\0");
    expect(environmentNames(environ)).toEqual(["NVIDIA_REQUIRE_CUDA", "PATH"]);
  });

  it("reads the state line of the query", () => {
    expect(parseBootUnitState("boot-unit: enabled\n")).toBe("enabled");
    expect(parseBootUnitState("x\nboot-unit: disabled\n")).toBe("disabled");
    expect(parseBootUnitState("boot-unit: unavailable")).toBe("unavailable");
    expect(parseBootUnitState("")).toBe("absent");
  });
});
