import { describe, expect, it } from "vitest";
import { renderSshCommand, sshOptions } from "../../../src/access/ssh-command.js";
import { keyLoginArgs } from "../../../src/access/wait-for-key-login.js";

const target = {
  host: "192.168.1.5",
  port: 50022,
  user: "root",
  identityFile: "/home/me/.modelbox-dev/environments/box/id_ed25519",
  knownHostsFile: "/home/me/.modelbox-dev/environments/box/known_hosts",
};

describe("the ssh command", () => {
  it("names the key, only that key, the environment's host keys, the port and root@host", () => {
    expect(renderSshCommand(target)).toBe(
      "ssh -i /home/me/.modelbox-dev/environments/box/id_ed25519 -o IdentitiesOnly=yes -o UserKnownHostsFile=/home/me/.modelbox-dev/environments/box/known_hosts -p 50022 root@192.168.1.5",
    );
  });
  it("without a known key it is the plain command", () => {
    expect(renderSshCommand({ host: "h", port: 22, user: "root" })).toBe("ssh -p 22 root@h");
  });
  it("quotes what the shell would split", () => {
    expect(renderSshCommand({ ...target, identityFile: "/home/my user/it's" })).toContain(
      `-i '/home/my user/it'\\''s'`,
    );
  });
  it("the login check runs non-interactively, ignores the user's config and checks host keys strictly", () => {
    const args = keyLoginArgs(target);
    expect(args.slice(0, 2)).toEqual(["-F", "/dev/null"]);
    expect(args).toContain("BatchMode=yes");
    expect(args).toContain("StrictHostKeyChecking=yes");
    expect(args.slice(-2)).toEqual(["root@192.168.1.5", "true"]);
    expect(args.join(" ")).toContain(sshOptions(target).join(" "));
  });
});
