import { ModelboxDevError } from "../../errors.js";
import { LABELS } from "../../labels.js";
import type { Plan } from "../types.js";
import { isLabelValue } from "./options.js";

/**
 * Object names: an environment name may hold '_', '.' and capitals (Docker's rule); Kubernetes
 * names are lowercase RFC 1035 labels (a Service's name must start with a letter).
 */
export function objectName(environment: string): string {
  let name = environment.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
  if (!/^[a-z]/.test(name)) name = `mb-${name}`;
  name = name.replace(/-+$/, "");
  if (name.length > 63 || !isLabelValue(environment)) {
    throw new ModelboxDevError(
      "INVALID_NAME",
      `${JSON.stringify(environment)} cannot name a Kubernetes environment.`,
      "Kubernetes names and label values hold at most 63 characters and end with a letter or digit: choose a shorter name, e.g. mybox.",
    );
  }
  return name;
}

export interface ObjectNames {
  deployment: string;
  service: string;
  home: string;
  authorizedKeys: string;
  editorUnit: string;
}

export function objectNames(plan: Plan): ObjectNames {
  const base = objectName(plan.name);
  return {
    deployment: base,
    service: base,
    home: `${base}-home`,
    authorizedKeys: `${base}-ssh`,
    editorUnit: `${base}-editor`,
  };
}

/**
 * The Docker labels, split by Kubernetes' rule: a label value is at most 63 characters of
 * [A-Za-z0-9_.-]; the spec JSON, the image reference and the port list go into annotations
 * under the same keys.
 */
export function labelsAndAnnotations(plan: Plan): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(plan.labels)) {
    // The options `upgrade` remakes a Docker environment from; a pod is remade by kubectl apply.
    if (key === LABELS.options) continue;
    if (isLabelValue(value)) labels[key] = value;
    else annotations[key] = value;
  }
  return { labels, annotations };
}

/** The labels that find every object of one environment; the Deployment's selector. */
export function identityLabels(plan: Plan): Record<string, string> {
  return { [LABELS.managed]: "true", [LABELS.name]: plan.name };
}
