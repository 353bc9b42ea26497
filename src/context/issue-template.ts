/**
 * Issue templates put the same headings and prompts into every issue ("Describe the bug", "Browser:",
 * "Time zone:"). Those words say nothing about this issue but weigh in lexical search, so the selector reads
 * the repository's own templates and removes their text from the task before searching.
 */

const TEMPLATE_PATH = /^(\.github\/|docs\/|)(ISSUE_TEMPLATE\/[^/]+\.(md|ya?ml)|issue_template\.md)$/i;

export function isIssueTemplate(path: string): boolean {
  return TEMPLATE_PATH.test(path);
}

/** Lower case, markdown and list markers removed, `[e.g. …]` hints dropped, spaces collapsed. */
export function normalizeLine(line: string): string {
  return line
    .replace(/\[e\.g\.[^\]]*\]/gi, " ")
    .replace(/<!--.*?-->/g, " ")
    .replace(/[*_#>`~]+/g, " ")
    .replace(/^\s*(?:[-+]|\d+\.)\s+/, "")
    // A checklist item reads the same ticked or not: "- [x] Checked that…" is the template's "- [ ] Checked that…".
    .replace(/^\s*\[[ xX]?\]\s*/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** The phrases of a template: whole lines and the labels before a colon (front matter excluded). */
export function templatePhrases(path: string, content: string): string[] {
  const phrases = new Set<string>();
  let text = content;
  if (/\.ya?ml$/i.test(path)) {
    for (const match of content.matchAll(/^\s*(?:label|description|placeholder|value)\s*:\s*["']?(.+?)["']?\s*$/gm)) {
      const phrase = normalizeLine(match[1]);
      if (phrase.length >= 3) phrases.add(phrase);
    }
    return [...phrases].sort();
  }
  text = text.replace(/^---\n[\s\S]*?\n---\n/, "");
  for (const raw of text.split("\n")) {
    const line = normalizeLine(raw);
    if (line.length < 3) continue;
    phrases.add(line);
    const label = line.match(/^([^:]{2,40}):/);
    if (label) phrases.add(label[1].trim());
    else if (line.split(" ").length <= 4) phrases.add(line);
  }
  return [...phrases].sort();
}

/** Long template lines are also recognised when the reporter edited a word or two (or filled an older template). */
const NEAR_MIN_WORDS = 6;
const NEAR_MIN_OVERLAP = 0.75;

function wordSet(line: string): Set<string> {
  return new Set(line.match(/[a-z0-9']+/g) ?? []);
}

/** Jaccard overlap of two word sets. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

/** The task without the lines its template wrote, and without template labels in front of the user's answers. */
export function stripTemplate(task: string, phrases: readonly string[]): string {
  if (phrases.length === 0) return task;
  const whole = new Set(phrases);
  const long = phrases.map(wordSet).filter((words) => words.size >= NEAR_MIN_WORDS);
  const nearTemplate = (line: string) => {
    const words = wordSet(line);
    return words.size >= NEAR_MIN_WORDS && long.some((template) => overlap(words, template) >= NEAR_MIN_OVERLAP);
  };
  const labels = [...phrases].filter((p) => p.length <= 40).sort((a, b) => b.length - a.length);
  const out: string[] = [];
  let inCode = false;
  for (const line of task.split("\n")) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    if (inCode) {
      out.push(line);
      continue;
    }
    const normalized = normalizeLine(line);
    if (normalized && (whole.has(normalized) || nearTemplate(normalized))) continue;
    const label = labels.find((l) => normalized.startsWith(l) && /^[\s:[\]]*/.test(normalized.slice(l.length)) && (normalized.length === l.length || /[\s:[]/.test(normalized[l.length])));
    out.push(label ? normalized.slice(label.length).replace(/^[\s:]+/, "") : line);
  }
  return out.join("\n");
}

/**
 * The words of an issue worth searching for: markdown images, HTML tags and comments, and URLs removed (link
 * text kept). Badges, screenshots and playground links otherwise add words like "png", "shields", "codepen".
 */
export function searchableText(text: string): string {
  return text
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\((?:https?:)?[^)]*\)/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, " ")
    .replace(/\bhttps?:\/\/[^\s)>\]]+/g, " ");
}
