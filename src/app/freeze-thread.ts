import type { CommentInfo, IssueInfo } from "../github/forge.js";
import type { FrozenThread } from "../jobs/prompts.js";
import { sanitizeTaskText } from "../model/sanitize.js";

const MAX_COMMENTS = 30;
const MAX_BODY_CHARS = 8_000;

/**
 * The issue thread as it stood when the command was accepted: later edits never reach the model.
 * Bot comments (the app's own status comments included) are left out; hidden content is stripped.
 */
export function freezeThread(issue: IssueInfo, comments: CommentInfo[], triggerCommentId: number): FrozenThread {
  const upToTrigger: CommentInfo[] = [];
  for (const comment of comments) {
    if (comment.id === triggerCommentId) break;
    upToTrigger.push(comment);
  }
  const human = upToTrigger.filter((c) => !c.authorIsBot).slice(-MAX_COMMENTS);
  return {
    number: issue.number,
    title: clip(sanitizeTaskText(issue.title)),
    body: clip(sanitizeTaskText(issue.body)),
    ...(issue.authorIsBot ? { bodyByBot: true } : {}),
    comments: human.map((c) => ({ author: c.author, body: clip(sanitizeTaskText(c.body)) })),
  };
}

function clip(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}\n… (truncated)` : text;
}
