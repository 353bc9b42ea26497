import { STAGES, STAGE_LABELS, type JobProgress, type StageState } from "../jobs/progress.js";

/** Hidden marker that lets the app find its own status comment for a job. */
export const statusMarker = (jobId: string): string => `<!-- codegen:status job=${jobId} -->`;

const ICONS: Record<StageState, string> = { pending: "⬜", running: "⏳", done: "✅", failed: "❌", skipped: "➖" };

/** Render the single status comment that is edited as the job moves: it is the progress bar. */
export function renderStatusComment(progress: JobProgress): string {
  const lines: string[] = [statusMarker(progress.jobId), `### codegen: ${oneLine(progress.title, 120)}`];
  const who = progress.requestedBy ? `Requested by @${progress.requestedBy} · ` : "";
  lines.push(`${who}job \`${progress.jobId}\``, "");
  for (const stage of STAGES) {
    const status = progress.stages[stage];
    const detail = status.detail ? `: ${oneLine(status.detail, 200)}` : "";
    lines.push(`- ${ICONS[status.state]} ${STAGE_LABELS[stage]}${detail}`);
  }
  const outcome = progress.outcome;
  if (outcome.kind === "succeeded") {
    lines.push("", `**Done.** ${outcome.summary}${outcome.url ? ` ${outcome.url}` : ""}`);
  } else if (outcome.kind === "failed") {
    lines.push("", `**Gave up.** ${outcome.reason}`);
    if (outcome.spent) lines.push("", `Spent: ${outcome.spent}`);
    if (outcome.lastFailure) lines.push("", details("Last failure", fence(outcome.lastFailure)));
    lines.push("", "Nothing was pushed.");
  } else if (outcome.kind === "refused") {
    lines.push("", `**Stopped.** ${outcome.reason}`);
  }
  for (const section of progress.sections) lines.push("", section.markdown);
  return lines.join("\n");
}

export function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** A fenced block that the content cannot break out of. */
export function fence(text: string, language = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${language}\n${text.replace(/\s+$/, "")}\n${ticks}`;
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
