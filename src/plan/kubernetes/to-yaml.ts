import { Document, isMap, isScalar, isSeq, type Node } from "yaml";
import { type Comments, itemSegment, joinPath } from "./explained.js";

/**
 * Prose broken into lines of at most `width` characters at spaces; a line that starts with a
 * space (a command to copy) is kept whole.
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.replace(/\r/g, "").split("\n")) {
    if (line.startsWith(" ") || line.length <= width) {
      out.push(line);
      continue;
    }
    let current = "";
    for (const word of line.split(" ")) {
      if (current !== "" && current.length + 1 + word.length > width) {
        out.push(current);
        current = word;
      } else {
        current = current === "" ? word : `${current} ${word}`;
      }
    }
    out.push(current);
  }
  return out;
}

/** Comment lines for the yaml library: one leading space makes `# text`. */
export function commentLines(text: string, width = 88): string {
  return wrapText(text, width)
    .map((line) => (line === "" ? "" : ` ${line}`))
    .join("\n");
}

/** Attaches each field's comment above it, walking the document and the object side by side. */
function attach(node: Node | null | undefined, value: unknown, path: string, comments: Comments) {
  if (isMap(node) && value && typeof value === "object" && !Array.isArray(value)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const fieldPath = joinPath(path, key);
      const comment = comments.get(fieldPath);
      if (comment && isScalar(pair.key)) pair.key.commentBefore = commentLines(comment.text);
      attach(
        pair.value as Node | null,
        (value as Record<string, unknown>)[key],
        fieldPath,
        comments,
      );
    }
  } else if (isSeq(node) && Array.isArray(value)) {
    node.items.forEach((item, index) => {
      const itemPath = joinPath(path, itemSegment(value[index], index));
      const comment = comments.get(itemPath);
      if (comment && item && typeof item === "object") {
        (item as Node).commentBefore = commentLines(comment.text);
      }
      attach(item as Node | null, value[index], itemPath, comments);
      // A comment on an item's first key would print after its "- ": move it above the item.
      const first = isMap(item) ? item.items[0]?.key : undefined;
      if (isMap(item) && isScalar(first) && first.commentBefore) {
        item.commentBefore = [item.commentBefore, first.commentBefore].filter(Boolean).join("\n");
        first.commentBefore = undefined;
      }
    });
  }
}

/** One YAML document for an object; with comments when explaining. */
export function objectToYaml(
  object: object,
  options: { comments?: Comments; summary?: string },
): string {
  // Shared values (the pod repeats the Deployment's labels) are written out, not as anchors.
  const doc = new Document(object, { aliasDuplicateObjects: false });
  if (options.summary) doc.commentBefore = commentLines(options.summary);
  if (options.comments) attach(doc.contents, object, "", options.comments);
  // No folding: a long annotation or command stays on its line, as kubectl prints it.
  return doc.toString({ lineWidth: 0 });
}
