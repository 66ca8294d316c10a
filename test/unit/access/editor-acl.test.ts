import { describe, expect, it } from "vitest";
import {
  aclAllowList,
  editorClients,
  parseCidr,
  withAclEntries,
} from "../../../src/access/editor-acl.js";
import { ModelboxDevError } from "../../../src/errors.js";

/** What modelbox-tool develop -s writes (the fixture stand-in's layout). */
const TOOL_CONF = `[server]
ip = "0.0.0.0"
port = "1104"

[editor]
enable = true

[acl]
allow = [
    "127.0.0.1/8"
]

[log]
path = "/root/modelbox-service/log/modelbox.log"
`;

describe("parseCidr (--editor-allow)", () => {
  it("takes addresses and CIDRs, v4 and v6", () => {
    for (const ok of ["10.0.0.0/8", "192.168.1.20", "0.0.0.0/0", "fd00::/8", "::1"]) {
      expect(parseCidr(ok)).toBe(ok);
    }
  });
  it("refuses anything else with INVALID_OPTION", () => {
    for (const bad of [
      "",
      "300.1.1.1",
      "10.0.0.0/33",
      "10.0.0.0/8/1",
      "example.com",
      "10.0.0.0/x",
    ]) {
      expect(() => parseCidr(bad)).toThrow(ModelboxDevError);
    }
  });
});

describe("withAclEntries", () => {
  it("adds the missing entries after the last one, leaving the rest of the file alone", () => {
    const { text, added } = withAclEntries(TOOL_CONF, ["172.17.0.1", "10.0.0.0/8"]);
    expect(added).toEqual(["172.17.0.1", "10.0.0.0/8"]);
    expect(text).toBe(
      TOOL_CONF.replace('"127.0.0.1/8"\n', '"127.0.0.1/8",\n    "172.17.0.1",\n    "10.0.0.0/8"\n'),
    );
    expect(aclAllowList(text)).toEqual(["127.0.0.1/8", "172.17.0.1", "10.0.0.0/8"]);
  });

  it("adds nothing already admitted: the same entry, or an address inside a listed network", () => {
    const conf = withAclEntries(TOOL_CONF, ["172.16.0.0/12"]).text;
    const again = withAclEntries(conf, ["172.17.0.1", "127.0.0.5", "172.16.0.0/12"]);
    expect(again.added).toEqual([]);
    expect(again.text).toBe(conf);
  });

  it("copes with comments, trailing commas, one-line and empty arrays", () => {
    const commented = `[acl]\nallow = [\n    "127.0.0.1/8", # local\n    # "10.9.9.9" was here\n]\n`;
    const a = withAclEntries(commented, ["10.9.9.9"]);
    expect(a.added).toEqual(["10.9.9.9"]);
    expect(aclAllowList(a.text)).toEqual(["127.0.0.1/8", "10.9.9.9"]);
    expect(
      aclAllowList(withAclEntries('[acl]\nallow = ["127.0.0.1/8"]\n', ["1.2.3.4"]).text),
    ).toEqual(["127.0.0.1/8", "1.2.3.4"]);
    expect(withAclEntries("[acl]\nallow = []\n", ["1.2.3.4"]).text).toBe(
      '[acl]\nallow = ["1.2.3.4"]\n',
    );
  });

  it("creates the key or the section when the file has none", () => {
    const noKey = withAclEntries('[acl]\n\n[log]\npath = "x"\n', ["1.2.3.4"]).text;
    expect(aclAllowList(noKey)).toEqual(["1.2.3.4"]);
    expect(noKey).toContain('[log]\npath = "x"\n');
    const noSection = withAclEntries('[server]\nport = "1104"\n', ["1.2.3.4"]).text;
    expect(noSection).toBe(
      '[server]\nport = "1104"\n\n[acl]\nallow = [\n    "127.0.0.1/8",\n    "1.2.3.4"\n]\n',
    );
  });

  it("only reads allow inside [acl]", () => {
    expect(aclAllowList('[other]\nallow = ["9.9.9.9"]\n[acl]\nallow = ["1.1.1.1"]\n')).toEqual([
      "1.1.1.1",
    ]);
  });
});

describe("editorClients", () => {
  it("admits the bridge gateway, the host's own external address and the extras, once each", () => {
    expect(
      editorClients({
        gateway: "172.17.0.1",
        hostAddress: "192.168.1.5",
        extra: ["10.0.0.0/8", "172.17.0.1"],
      }),
    ).toEqual(["172.17.0.1", "192.168.1.5", "10.0.0.0/8"]);
  });
  it("loopback and host names are not added (loopback is always allowed; names cannot be)", () => {
    expect(editorClients({ gateway: "172.17.0.1", hostAddress: "127.0.0.1" })).toEqual([
      "172.17.0.1",
    ]);
    expect(editorClients({ hostAddress: "devbox.example.com" })).toEqual([]);
  });
});
