/** Podman's Docker-compatible reports, read the way Docker's are (recorded from Podman 4.3.1). */
import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { editorClients } from "../../../../src/access/editor-acl.js";
import {
  familiarImageName,
  toContainerDetails,
  toImageDetails,
} from "../../../../src/engine/docker/mappers.js";
import { recordedIn } from "../../../support/recorded.js";

const inspect = JSON.parse(
  recordedIn("podman")("container-inspect-4.3.1-bridge-loopback-port.json"),
) as Docker.ContainerInspectInfo;

describe("a Podman container as Docker's would read", () => {
  const c = toContainerDetails(inspect);

  it("the gateway of Podman's default network (10.88.0.1) is the editor's client address", () => {
    expect(c.gateway).toBe("10.88.0.1");
    expect(editorClients({ gateway: c.gateway, hostAddress: "127.0.0.1" })).toEqual(["10.88.0.1"]);
  });

  it("published ports as Docker's", () => {
    expect(c.ports).toEqual([{ hostIp: "127.0.0.1", hostPort: 48080, containerPort: 8080 }]);
  });
});

describe("image names: Podman qualifies Docker Hub names, Docker does not", () => {
  it.each([
    ["docker.io/library/debian:12", "debian:12"],
    ["docker.io/modelbox/modelbox-develop-x:latest", "modelbox/modelbox-develop-x:latest"],
    ["docker.io/modelbox/x@sha256:abc", "modelbox/x@sha256:abc"],
    ["index.docker.io/library/busybox", "busybox"],
    ["modelbox/x:1.0", "modelbox/x:1.0"],
    ["127.0.0.1:5000/modelbox/x:1.0", "127.0.0.1:5000/modelbox/x:1.0"],
    ["quay.io/podman/stable:latest", "quay.io/podman/stable:latest"],
  ])("%s reads as %s", (podman, docker) => {
    expect(familiarImageName(podman)).toBe(docker);
  });

  it("tags and digests of an inspected image match the catalogue's names", () => {
    const image = toImageDetails({
      Id: "sha256:1",
      RepoTags: ["docker.io/modelbox/modelbox-develop-x:latest"],
      RepoDigests: ["docker.io/modelbox/modelbox-develop-x@sha256:feed"],
      Config: { Labels: {}, Env: [] },
      Architecture: "amd64",
      Os: "linux",
      Size: 1,
    } as unknown as Docker.ImageInspectInfo);
    expect(image.repoTags).toEqual(["modelbox/modelbox-develop-x:latest"]);
    expect(image.repoDigests).toEqual(["modelbox/modelbox-develop-x@sha256:feed"]);
  });
});
