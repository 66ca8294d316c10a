/**
 * `--explain` for manifests: a comment per field, kept beside the object it explains. Fields are
 * named by paths: map keys joined with '.', a list item by its `name` (or `key`) in brackets,
 * e.g. `spec.template.spec.containers[modelbox].volumeMounts[home]`.
 */
export interface FieldComment {
  text: string;
  /** The comment says all there is to know about everything below the field, too. */
  covers: boolean;
}

export class Comments {
  constructor(
    private readonly entries: Map<string, FieldComment> = new Map(),
    private readonly prefix = "",
  ) {}

  /** The same table, for paths below `path`. */
  at(path: string): Comments {
    return new Comments(this.entries, joinPath(this.prefix, path));
  }

  /** A comment on one field; what lies below it needs comments of its own. */
  field(path: string, text: string): void {
    this.entries.set(joinPath(this.prefix, path), { text, covers: false });
  }

  /** A comment that explains the field and everything below it. */
  whole(path: string, text: string): void {
    this.entries.set(joinPath(this.prefix, path), { text, covers: true });
  }

  get(path: string): FieldComment | undefined {
    return this.entries.get(path);
  }
}

export function joinPath(prefix: string, path: string): string {
  if (prefix === "") return path;
  if (path === "") return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** The path segment of a list item: its name or key, else its position. */
export function itemSegment(item: unknown, index: number): string {
  if (item && typeof item === "object") {
    const named = item as { name?: unknown; key?: unknown };
    if (typeof named.name === "string") return `[${named.name}]`;
    if (typeof named.key === "string") return `[${named.key}]`;
  }
  return `[${index}]`;
}

/** A Kubernetes object with the comments `--explain` puts on its fields. */
export interface ExplainedObject<T = object> {
  object: T;
  /** What the object is, above its document. */
  summary: string;
  comments: Comments;
}
