import { decodeHTML } from "entities";
import { Parser } from "htmlparser2";

/**
 * Task text (issue bodies, comments) is untrusted and goes into the prompt. What a maintainer sees on
 * GitHub and what the model reads must be the same text, so everything a reader cannot see is removed:
 * HTML comments, hidden elements (`hidden`, display:none, visibility:hidden, …), script/style/template,
 * attributes that never render (alt, title, aria-label, data-*, placeholder), markdown image alt text and
 * link titles, and invisible Unicode (zero-width, bidi controls, tag characters, variation selectors,
 * other format and control characters). Entities are decoded once, into the characters a reader sees.
 *
 * Markdown code is not treated specially: HTML inside code spans is visible on GitHub and is still
 * stripped here. That only ever removes text, and keeping the rule simple keeps it hard to get around.
 * The HTML is parsed with htmlparser2 because hidden elements nest; a regular expression cannot match
 * `<div hidden><div>…</div> injected </div>` correctly.
 */

/** Characters nobody sees: controls (except tab and newline), format characters, zero-width and bidi marks. */
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]|[\u{E0000}-\u{E007F}]|[\u{E0100}-\u{E01EF}]/gu;

/** Elements whose content never renders. */
const INVISIBLE_ELEMENTS = new Set(["script", "style", "template", "noscript", "title", "head", "meta", "object", "iframe"]);

/** Attributes whose text a reader does not see. */
const UNSEEN_ATTRIBUTE = /^(alt|title|aria-label|aria-description|placeholder|data-.*)$/;

/** Inline styles that make an element invisible (GitHub drops `style`, but other renderers may not). */
const HIDING_STYLE =
  /display\s*:\s*none|visibility\s*:\s*(hidden|collapse)|opacity\s*:\s*0+(\.0*)?(?![\d.])|font-size\s*:\s*0+(\.0*)?(px|em|rem|pt|%)?(?![\d.])/i;

function isHiddenElement(name: string, attributes: Record<string, string>): boolean {
  if (INVISIBLE_ELEMENTS.has(name)) return true;
  if ("hidden" in attributes) return true;
  if (attributes["aria-hidden"]?.toLowerCase() === "true") return true;
  if (name === "input" && attributes.type?.toLowerCase() === "hidden") return true;
  const style = attributes.style;
  return style !== undefined && HIDING_STYLE.test(style);
}

const escapeAttribute = (value: string): string => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

interface Edit {
  start: number;
  /** Exclusive. */
  end: number;
  replacement: string;
}

/** Removes HTML comments and hidden elements, and drops unseen attributes from the remaining tags. */
export function stripHiddenHtml(text: string): string {
  const edits: Edit[] = [];
  const open: { name: string; hidden: boolean; start: number }[] = [];
  let hiddenOpen = 0;

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const start = parser.startIndex;
        const hidden = isHiddenElement(name, attributes);
        open.push({ name, hidden, start });
        if (hidden) {
          hiddenOpen += 1;
          return;
        }
        if (hiddenOpen > 0) return;
        const kept = Object.entries(attributes).filter(([key]) => !UNSEEN_ATTRIBUTE.test(key));
        if (kept.length === Object.keys(attributes).length) return;
        const source = text.slice(start, parser.endIndex + 1);
        const attrs = kept.map(([key, value]) => (value === "" ? ` ${key}` : ` ${key}="${escapeAttribute(value)}"`)).join("");
        edits.push({ start, end: parser.endIndex + 1, replacement: `<${name}${attrs}${source.endsWith("/>") ? " />" : ">"}` });
      },
      onclosetag(_name, isImplied) {
        const element = open.pop();
        if (!element?.hidden) return;
        hiddenOpen -= 1;
        if (hiddenOpen > 0) return;
        // An implied close ends where the next tag (or the end of the text) begins.
        const end = isImplied ? parser.startIndex : parser.endIndex + 1;
        edits.push({ start: element.start, end: Math.max(end, element.start), replacement: "" });
      },
      oncommentend() {
        if (hiddenOpen === 0) edits.push({ start: parser.startIndex, end: parser.endIndex + 1, replacement: "" });
      },
      onprocessinginstruction() {
        if (hiddenOpen === 0) edits.push({ start: parser.startIndex, end: parser.endIndex + 1, replacement: "" });
      },
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(text);
  parser.end();

  // Hidden ranges are pushed when they close, after the edits inside them; apply outermost first.
  edits.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let cursor = 0;
  for (const edit of edits) {
    if (edit.start < cursor) continue; // inside a range already removed
    out += text.slice(cursor, edit.start) + edit.replacement;
    cursor = Math.min(text.length, edit.end);
  }
  return out + text.slice(cursor);
}

const BRACKETED = String.raw`(?:[^\[\]]|\[[^\[\]]*\])*`;
const IMAGE_ALT = new RegExp(String.raw`!\[${BRACKETED}\](?=[(\[])`, "g");
const LINK_TITLE = /(\]\(\s*(?:<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))\s*\)/g;
const REFERENCE_TITLE = /^( {0,3}\[[^\]\n]+\]:[ \t]*(?:<[^>\n]*>|\S+))(?:[ \t]+|[ \t]*\n[ \t]*)(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\))[ \t]*$/gm;

/** Markdown image alt text and link titles: shown to nobody, read by the model. */
export function stripMarkdownHiddenText(text: string): string {
  return text.replace(IMAGE_ALT, "![]").replace(LINK_TITLE, "$1)").replace(REFERENCE_TITLE, "$1");
}

export const stripInvisibleCharacters = (text: string): string => text.replace(INVISIBLE, "");

/** The text the model may read for an issue body or comment. */
export function sanitizeTaskText(input: string): string {
  let text = input.normalize("NFC").replace(/\r\n?/g, "\n").replace(/[\u2028\u2029]/g, "\n");
  // Removing one construct can reveal another (`<!-<!-- -->- … -->`); repeat until nothing changes.
  for (let round = 0; round < 10; round++) {
    const next = stripMarkdownHiddenText(stripHiddenHtml(stripInvisibleCharacters(text)));
    if (next === text) break;
    text = next;
  }
  // Decode once, into what a reader sees (`&lt;` is a visible "<"); encoded invisible characters go too.
  return stripInvisibleCharacters(decodeHTML(text));
}
