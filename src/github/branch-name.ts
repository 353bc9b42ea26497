/** `codegen/issue-<n>-<slug>`: readable, unique per issue, safe as a git ref. */
export function branchNameFor(issueNumber: number, task: string, kind: "issue" | "pr" = "issue"): string {
  return `${branchPrefixFor(issueNumber, kind)}${slugify(task) || "change"}`;
}

export function branchPrefixFor(issueNumber: number, kind: "issue" | "pr" = "issue"): string {
  return `codegen/${kind}-${issueNumber}-`;
}

export function slugify(text: string, maxLength = 40): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  const lastDash = cut.lastIndexOf("-");
  return (lastDash > maxLength / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, "");
}
