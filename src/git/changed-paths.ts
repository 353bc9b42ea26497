/** One entry of `git diff-tree --raw`: what happened to a path between two trees. */
export interface ChangedPath {
  path: string;
  /** A added, D deleted, M modified, T type changed (e.g. file ↔ symlink). Renames are off, so no R/C. */
  status: "A" | "D" | "M" | "T";
  /** Git modes: 100644 file, 100755 executable, 120000 symlink, 160000 submodule, 000000 absent. */
  oldMode: string;
  newMode: string;
}

const RAW_HEADER = /^:(\d{6}) (\d{6}) [0-9a-f]+ [0-9a-f]+ ([ADMT])$/;

/**
 * Parse `git diff-tree -r -z --raw --no-renames` output. With -z every header and path ends in NUL and
 * paths are not quoted, so names with spaces, newlines or any UTF-8 survive unchanged.
 */
export function parseRawDiff(output: Buffer | string): ChangedPath[] {
  const fields = (typeof output === "string" ? output : output.toString("utf8")).split("\0");
  const changes: ChangedPath[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const header = fields[i]!;
    const path = fields[i + 1]!;
    if (header === "" && path === "") break;
    const match = RAW_HEADER.exec(header);
    if (!match) throw new Error(`Unexpected git diff-tree record ${JSON.stringify(header)} (is a rename or copy detection setting on?)`);
    changes.push({ path, status: match[3] as ChangedPath["status"], oldMode: match[1]!, newMode: match[2]! });
  }
  return changes;
}
