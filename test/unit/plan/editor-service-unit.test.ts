import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { EDITOR_SERVICE_NAME, editorServiceUnit } from "../../../src/plan/editor-service-unit.js";

/** What systemd makes of the unit's ExecStart line: the argv and the script bash runs. */
function execStart(unit: string): [string, string, string] {
  const line = unit.split("\n").find((l) => l.startsWith("ExecStart="));
  const m = /^ExecStart=(\S+) (\S+) '([^']*)'$/.exec(line ?? "");
  if (!m) throw new Error(`unexpected ExecStart: ${line}`);
  // systemd turns "$$" into "$"; it substitutes nothing else here (no ${VAR} or bare $VAR words).
  return [m[1]!, m[2]!, m[3]!.replace(/\$\$/g, "$")];
}

describe("developer mode as a systemd unit", () => {
  const unit = editorServiceUnit();

  it("is a oneshot that stays active while the server it started runs, wanted by multi-user.target", () => {
    expect(EDITOR_SERVICE_NAME).toBe("modelbox-dev-editor.service");
    expect(unit).toMatch(/^\[Unit\]\n/);
    expect(unit).toContain("\nType=oneshot\n");
    expect(unit).toContain("\nRemainAfterExit=yes\n");
    expect(unit).toContain("\n[Install]\nWantedBy=multi-user.target\n");
  });

  it("sets developer mode up when its home is missing, restarts the server otherwise", () => {
    const [shell, flag, script] = execStart(unit);
    expect([shell, flag]).toEqual(["/bin/bash", "-c"]);
    expect(script).toContain(
      "if [ -d /root/modelbox-service ]; then exec /root/modelbox-service/modelbox restart; fi",
    );
    expect(script).toMatch(/exec modelbox-tool develop -s$/);
    // PID 1's environment (the image's PATH, LD_LIBRARY_PATH…) is read before anything runs.
    expect(script.indexOf("/proc/1/environ")).toBeLessThan(script.indexOf("modelbox-tool"));
    expect(script).toContain('export "$kv"');
  });

  it("has nothing systemd would expand on its own", () => {
    // '%' starts a unit specifier; a lone '$' a variable; a single quote inside would end the word.
    expect(unit).not.toContain("%");
    const raw = /ExecStart=\S+ \S+ '([^']*)'/.exec(unit)?.[1] ?? "";
    expect(raw.replace(/\$\$/g, "")).not.toContain("$");
  });

  it("is a valid bash script", () => {
    const script = execStart(unit)[2];
    expect(() => execFileSync("bash", ["-n", "-c", script])).not.toThrow();
  });
});
