import { describe, expect, it } from "vitest";
import {
  forwardUrl,
  localForwardSpec,
  parsePortPair,
} from "../../../../src/environment/forward/port-pair.js";
import { expectError } from "../../plan/errors.js";

describe("forward's PORT[:PORT]", () => {
  it("one port forwards the same number; LOCAL:REMOTE as ssh -L reads it", () => {
    expect(parsePortPair("6006")).toEqual({ local: 6006, remote: 6006 });
    expect(parsePortPair("18080:8080")).toEqual({ local: 18080, remote: 8080 });
  });
  it("refuses what is not a port, with an example", () => {
    for (const text of ["", "0", "65536", "80:", ":80", "a", "1:2:3", "-1", "8080/udp"]) {
      expect(expectError(() => parsePortPair(text), "INVALID_PORT").hint, text).toContain(
        "modelbox-dev forward",
      );
    }
  });
  it("both ends stay on loopback", () => {
    expect(localForwardSpec({ local: 18080, remote: 8080 })).toBe("127.0.0.1:18080:127.0.0.1:8080");
  });
  it("the URL opens the editor's page for ModelBox's editor port, else the root", () => {
    expect(forwardUrl({ local: 11104, remote: 1104 })).toBe("http://127.0.0.1:11104/editor/");
    expect(forwardUrl({ local: 6006, remote: 6006 })).toBe("http://127.0.0.1:6006/");
  });
});
