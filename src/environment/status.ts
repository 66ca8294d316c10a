import { inspectAccess } from "../access/inspect-access.js";
import { LABELS } from "../labels.js";
import { acceleratorReports } from "./accelerators.js";
import { ownerOf } from "./owner.js";
import { accessInfo, accessJson, settingsOf } from "./describe.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { openPort, reachOfEnvironment } from "./reach.js";
import { readBanner } from "./readiness.js";
import type { StatusOptions, StatusResult } from "./types.js";

/** `status NAME`: state, the image it runs, and whether ssh, the editor and HTTP answer now. */
export async function status(
  options: StatusOptions,
  context?: OperationContext,
): Promise<StatusResult> {
  const { engine, signal } = resolveContext(context);
  const c = await getEnvironment(engine, options.name);
  const reach = reachOfEnvironment(engine, c, options.hostAddress);
  const access = accessInfo(c, reach);
  const [accelerators] = await acceleratorReports([c], options.gpus);
  const outcome = await inspectAccess(engine, {
    name: c.name,
    containerId: c.id,
    running: c.status === "running",
    kind: c.labels[LABELS.kind],
    ports: access.ports,
    hostAddress: reach.hostAddress,
    connectAddress: reach.connectAddress,
    ...(reach.proxyJump ? { proxyJump: reach.proxyJump } : {}),
    readBanner,
    openPort: (port) => openPort(reach, port, signal),
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
    ...(ownerOf(c) ? { owner: ownerOf(c) } : {}),
    accelerators: accelerators ?? { gpus: [], npuChips: [] },
    ports: access.ports,
    ...accessJson(access, outcome),
    settings: settingsOf(c),
  };
}
