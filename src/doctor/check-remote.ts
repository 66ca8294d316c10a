import type { HostFacts } from "../host/facts.js";
import { type DoctorCheck, pass, warn } from "./types.js";

/** For a remote engine: which machine the checks below describe, and what they cannot see. */
export function checkRemote(facts: HostFacts): DoctorCheck[] {
  const r = facts.remote;
  if (!r) return [];
  const title = "Engine's host";
  const unknown = r.unknown.length ? `; not known from here: ${r.unknown.join(", ")}` : "";
  if (r.probe === "none") {
    return [
      warn(
        "remote",
        title,
        `${r.host} (remote): engine facts only${unknown}`,
        `Make an image available on ${r.host} (e.g. 'docker --host … pull debian'), so that doctor can run a short-lived probe there.`,
      ),
    ];
  }
  return [
    pass(
      "remote",
      title,
      `${r.host} (remote): read through the engine and a short-lived probe container (${r.image ?? "?"}), removed afterwards${unknown}`,
    ),
  ];
}
