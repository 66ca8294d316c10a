import { describe, expect, it } from "vitest";
import { type Comments, itemSegment, joinPath } from "../../../../src/plan/kubernetes/explained.js";
import { allCases, caseName, objectsOf, renderCase } from "./cases.js";

/** Fields that no comment explains, itself or through a comment on a field above it. */
function unexplained(value: unknown, path: string, comments: Comments): string[] {
  const own = comments.get(path);
  if (own?.covers) return [];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      unexplained(item, joinPath(path, itemSegment(item, i)), comments),
    );
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, v]) =>
      path === "" && (key === "apiVersion" || key === "kind")
        ? []
        : unexplained(v, joinPath(path, key), comments),
    );
  }
  return own ? [] : [path];
}

describe("--explain comments every field", () => {
  for (const input of allCases()) {
    it(caseName(input), () => {
      const text = renderCase({ ...input, explain: true }).text;
      for (const { object, comments, summary } of objectsOf(input)) {
        const kind = (object as { kind: string }).kind;
        expect(unexplained(object, "", comments), kind).toEqual([]);
        expect(text).toContain(`# ${summary.split(" ").slice(0, 4).join(" ")}`);
      }
    });
  }

  it("and the comments are in the printed manifests, above their fields", () => {
    const text = renderCase({ kind: "develop", accel: "nvidia", cgroup: "v1", explain: true }).text;
    expect(text).toMatch(
      /# replicas 1: one environment is one pod.*\n(?:\s+#.*\n)*\s+replicas: 1\n/,
    );
    expect(text).toMatch(/# strategy Recreate:.*\n(?:\s+#.*\n)*\s+strategy:\n/);
    expect(text).toMatch(
      /# cgroup \(node on cgroup v1.*\n(?:\s+#.*\n)*\s+- name: cgroup\n\s+mountPath: \/sys\/fs\/cgroup\n\s+readOnly: true/,
    );
    expect(text).toMatch(/# resources: .*nvidia\.com\/gpu/);
    // Without --explain, the fields carry no comments.
    const plain = renderCase({ kind: "develop", accel: "nvidia", cgroup: "v1" }).text;
    expect(plain).not.toMatch(/# replicas 1/);
    expect(plain).not.toMatch(/# (strategy Recreate|resources:|hostname:)/);
  });
});
