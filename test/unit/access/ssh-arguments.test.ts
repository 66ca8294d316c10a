import { describe, expect, it } from "vitest";
import { splitSshArguments } from "../../../src/access/ssh-arguments.js";
import { expectError } from "../plan/errors.js";

describe("ssh options after the environment's name", () => {
  it("options go before the destination, the command after it", () => {
    expect(splitSshArguments(["-L", "8080:127.0.0.1:8080", "-N"])).toMatchObject({
      options: ["-L", "8080:127.0.0.1:8080", "-N"],
      command: [],
    });
    expect(splitSshArguments(["-A", "-v", "--", "nvidia-smi", "-L"])).toMatchObject({
      options: ["-A", "-v"],
      command: ["nvidia-smi", "-L"],
    });
  });
  it("the command starts at the first word that is not an option, as with ssh itself", () => {
    expect(splitSshArguments(["-t", "ls", "-la", "/root"])).toMatchObject({
      options: ["-t"],
      command: ["ls", "-la", "/root"],
    });
    expect(splitSshArguments([])).toEqual({ options: [], command: [], own: [] });
    expect(splitSshArguments(["--", "--"])).toMatchObject({ options: [], command: ["--"] });
  });
  it("grouped flags, attached arguments, and a flag group ending in an option that takes one", () => {
    expect(splitSshArguments(["-NL8080:localhost:80", "-R", "9000:localhost:9000"])).toMatchObject({
      options: ["-NL8080:localhost:80", "-R", "9000:localhost:9000"],
      command: [],
    });
    expect(splitSshArguments(["-NfL", "1:h:2", "-oServerAliveInterval=30"])).toMatchObject({
      options: ["-NfL", "1:h:2", "-oServerAliveInterval=30"],
      command: [],
    });
  });
  it("the caller's own flags among the options are set apart; in the command they stay", () => {
    expect(splitSshArguments(["-A", "--json", "--", "x"], ["--json"])).toEqual({
      options: ["-A"],
      command: ["x"],
      own: ["--json"],
    });
    expect(splitSshArguments(["ls", "--json"], ["--json"])).toEqual({
      options: [],
      command: ["ls", "--json"],
      own: [],
    });
  });
  it("an unknown option or a missing argument is refused with the usage", () => {
    expect(expectError(() => splitSshArguments(["-Z"]), "INVALID_OPTION").hint).toContain(
      "modelbox-dev ssh NAME",
    );
    expect(expectError(() => splitSshArguments(["--help"]), "INVALID_OPTION").hint).toContain(
      "modelbox-dev ssh --help",
    );
    expect(expectError(() => splitSshArguments(["-N", "-L"]), "INVALID_OPTION").message).toMatch(
      /-L needs an argument/,
    );
  });
});
