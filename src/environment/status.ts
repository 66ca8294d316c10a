import { inspectAccess } from "../access/inspect-access.js";
import { detectHostAddress } from "../host/host-address.js";
import { LABELS } from "../labels.js";
import { accessInfo, accessJson, bindAddress, settingsOf } from "./describe.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { reachableAddress, readBanner } from "./readiness.js";
import type { StatusOptions, StatusResult } from "./types.js";

/** `status NAME`: state, the image it runs, and whether ssh, the editor and HTTP answer now. */
export async function status(
  options: StatusOptions,
  context?: OperationContext,
): Promise<StatusResult> {
  const { engine } = resolveContext(context);
  const c = await getEnvironment(engine, options.name);
  const access = accessInfo(c, options.hostAddress);
  const outcome = await inspectAccess(engine, {
    name: c.name,
    containerId: c.id,
    running: c.status === "running",
    kind: c.labels[LABELS.kind],
    ports: access.ports,
    hostAddress: options.hostAddress ?? detectHostAddress(bindAddress(c)),
    connectAddress: reachableAddress(bindAddress(c)),
    readBanner,
  });
  return {
    ok: true,
    name: c.name,
    id: c.id,
    state: c.status,
    image: {
      reference: c.labels[LABELS.image] ?? c.image,
      id: c.labels[LABELS.imageId] ?? c.imageId,
      ...(c.labels[LABELS.imageDigest] ? { digest: c.labels[LABELS.imageDigest] } : {}),
      ...(c.labels[LABELS.cudaVersion] ? { cudaVersion: c.labels[LABELS.cudaVersion] } : {}),
      ...(c.labels[LABELS.imageVersion] ? { version: c.labels[LABELS.imageVersion] } : {}),
    },
    created: c.created.toISOString(),
    ports: access.ports,
    ...accessJson(access, outcome),
    settings: settingsOf(c),
  };
}
