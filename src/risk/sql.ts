import type { FileFacts } from "./file-facts.js";
import { addedLinesMatching, contentMatchesOnAddedLines, lineAt, snippet } from "./scan.js";

/**
 * Blank out SQL comments and string literals (keeping newlines, so offsets keep their line numbers):
 * a `DROP TABLE` inside a comment or a string value is not DDL. Hand-written because no maintained
 * npm SQL tokenizer covers every dialect's comment and dollar-quote forms without a full parser.
 */
export function blankSqlCommentsAndStrings(sql: string): string {
  const out: string[] = [];
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i, i + 2);
    if (rest === "--") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      out.push(blank(sql.slice(i, stop)));
      i = stop;
    } else if (rest === "/*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out.push(blank(sql.slice(i, stop)));
      i = stop;
    } else if (sql[i] === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      out.push("'" + blank(sql.slice(i + 1, j)) + "'");
      i = j + 1;
    } else if (sql[i] === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const stop = end === -1 ? sql.length : end + tag[0].length;
        // Function bodies in dollar quotes are code, not data: keep them so DDL inside still shows.
        out.push(sql.slice(i, stop));
        i = stop;
      } else {
        out.push(sql[i]);
        i++;
      }
    } else {
      out.push(sql[i]);
      i++;
    }
  }
  return out.join("");
}

const DDL_OBJECTS =
  "TABLE|INDEX|SCHEMA|DATABASE|VIEW|MATERIALIZED\\s+VIEW|SEQUENCE|TYPE|DOMAIN|EXTENSION|TRIGGER|FUNCTION|PROCEDURE|POLICY|ROLE|USER|PUBLICATION|SUBSCRIPTION|CONSTRAINT";

/** DDL statements (schema changes), case-insensitive; run on comment- and string-blanked SQL. */
export const DDL_PATTERN = new RegExp(
  `\\b(?:(?:CREATE(?:\\s+OR\\s+REPLACE)?|ALTER|DROP)\\s+(?:UNIQUE\\s+|TEMP(?:ORARY)?\\s+|VIRTUAL\\s+)?(?:${DDL_OBJECTS})\\b|TRUNCATE\\b|RENAME\\s+(?:TO|COLUMN)\\b|(?:GRANT|REVOKE)\\s+\\w|COMMENT\\s+ON\\b|REINDEX\\b|VACUUM\\s+FULL\\b)`,
  "i",
);

export interface SqlFinding {
  line: number;
  text: string;
}

/** DDL statements in a .sql file that this change introduces. */
export function findDdlInSqlFile(facts: FileFacts): SqlFinding[] {
  const blanked = blankSqlCommentsAndStrings(facts.content);
  return contentMatchesOnAddedLines({ ...facts, content: blanked }, DDL_PATTERN).map((m) => ({
    line: m.line,
    text: snippet(m.match[0]).toUpperCase(),
  }));
}

/** DDL inside string literals in application code (e.g. `cursor.execute("CREATE TABLE …")`). */
const DDL_IN_CODE = new RegExp(
  `["'\`](?:[^"'\`]*\\s)?(?:(?:CREATE|ALTER|DROP)\\s+(?:UNIQUE\\s+)?(?:TABLE|INDEX|SCHEMA|DATABASE|VIEW|SEQUENCE|TYPE|EXTENSION|TRIGGER|FUNCTION)\\b|TRUNCATE\\s+(?:TABLE\\s+)?\\w)`,
);

export function findDdlInCode(facts: FileFacts): SqlFinding[] {
  return addedLinesMatching(facts, DDL_IN_CODE).map((l) => ({
    line: l.line,
    text: snippet(/(?:CREATE|ALTER|DROP)\s+(?:UNIQUE\s+)?\w+|TRUNCATE/.exec(l.text)?.[0] ?? "DDL"),
  }));
}

/** Text of the statement that starts at `start`: up to `;`, the closing quote of the string it sits in, or 800 chars. */
function statementSpan(text: string, start: number, delimiter: string | undefined): string {
  const limit = Math.min(text.length, start + 800);
  let end = limit;
  const semi = text.indexOf(";", start);
  if (semi !== -1 && semi < end) end = semi;
  if (delimiter) {
    const close = text.indexOf(delimiter, start);
    if (close !== -1 && close < end) end = close;
  }
  return text.slice(start, end);
}

/** The quote the SQL at `offset` sits in, read from the text before it on the same line. */
function enclosingDelimiter(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const m = /("""|'''|"|'|`)[^"'`]*$/.exec(before);
  if (m) return m[1];
  // A statement on its own line inside a multi-line string ends with the string (""" or `) or a `;`.
  return undefined;
}

const SQL_MASS_MUTATION = [
  { re: /\bDELETE\s+FROM\s+([\w."`[\]]+)/, verb: "DELETE" },
  { re: /\bUPDATE\s+([\w."`[\]]+)\s+SET\b/, verb: "UPDATE" },
] as const;

/**
 * Whole-table UPDATE/DELETE statements (no WHERE) and TRUNCATE, introduced by this change. In .sql files
 * keywords match in any case; in code only upper case, so prose such as "delete from the list" does not count.
 */
export function findWholeTableSql(facts: FileFacts, sqlFile: boolean): SqlFinding[] {
  const text = sqlFile ? blankSqlCommentsAndStrings(facts.content) : facts.content;
  const flags = sqlFile ? "gi" : "g";
  const found: SqlFinding[] = [];
  for (const { re, verb } of SQL_MASS_MUTATION) {
    for (const m of contentMatchesOnAddedLines({ ...facts, content: text }, new RegExp(re.source, flags))) {
      const start = m.match.index + m.match[0].length;
      const delimiter = sqlFile ? undefined : enclosingDelimiter(text, m.match.index);
      const span = statementSpan(text, start, delimiter ?? (sqlFile ? undefined : '"""'));
      if (/\bWHERE\b/i.test(span)) continue;
      if (/^\s*(?:WHERE\s+CURRENT\s+OF)/i.test(span)) continue;
      found.push({ line: m.line, text: `${verb} without WHERE (table ${m.match[1].replace(/["`[\]]/g, "")})` });
    }
  }
  const truncate = new RegExp(/\bTRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?([\w."`]+)/.source, flags);
  for (const m of contentMatchesOnAddedLines({ ...facts, content: text }, truncate)) {
    found.push({ line: m.line, text: `TRUNCATE (table ${m.match[1].replace(/["`[\]]/g, "")})` });
  }
  return found.sort((a, b) => a.line - b.line);
}

/** ORM calls that update or delete every row of a table. */
const ORM_MASS_MUTATIONS: { re: RegExp; what: string }[] = [
  { re: /(?:^|[^.\w])[A-Z]\w*(?:::\w+)*(?:\.all)?\.(update_all|delete_all|destroy_all)\b/, what: "ActiveRecord $1 on a whole model" },
  { re: /\.objects\.(?:all\(\)\.)?(update|delete)\(/, what: "Django queryset .$1() on every row" },
  { re: /\.(deleteMany|updateMany)\(\s*(?:\{\s*\}\s*)?\)/, what: "$1() with no filter" },
  { re: /\.(deleteMany|updateMany)\(\s*\{\s*\}\s*[,)]/, what: "$1({}) with an empty filter" },
  { re: /\.updateMany\(\s*\{\s*data\s*:/, what: "updateMany without where" },
  { re: /\.destroy\(\s*\{\s*(?:where\s*:\s*\{\s*\}|truncate\s*:\s*true)/, what: "Sequelize destroy on every row" },
  { re: /session\.query\(\s*\w+\s*\)\.(delete|update)\(/, what: "SQLAlchemy query($1) on a whole table" },
  { re: /::truncate\(\)|DB::table\([^)]*\)->(?:delete|update)\(|::query\(\)->(?:delete|update)\(/, what: "Laravel query on a whole table" },
  { re: /Repo\.(delete_all|update_all)\(\s*[A-Z]/, what: "Ecto Repo.$1 on a whole schema" },
  { re: /\bknex\(\s*['"][\w.]+['"]\s*\)\s*\.(?:del|delete|update|truncate)\(/, what: "Knex mutation with no where" },
  { re: /Repository\w*\.clear\(\)|\bgetRepository\([^)]*\)\.clear\(\)/, what: "TypeORM clear() (TRUNCATE)" },
];

export function findWholeTableOrmCalls(facts: FileFacts): SqlFinding[] {
  const found: SqlFinding[] = [];
  for (const { re, what } of ORM_MASS_MUTATIONS) {
    for (const line of facts.added) {
      const m = re.exec(line.text);
      if (m) found.push({ line: line.line, text: what.replace("$1", m[1] ?? "") });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** An upper-case SQL shape: enough to tell a query string from an ordinary one. */
const SQL_SHAPE = /\b(?:SELECT\s+[\w*"`.(]|INSERT\s+INTO\b|UPDATE\s+[\w."`]+\s+SET\b|DELETE\s+FROM\b|WHERE\s+[\w."`(]|ORDER\s+BY\b)/;

const LINE_INTERPOLATION: { re: RegExp; how: string }[] = [
  { re: /\$(?:queryRawUnsafe|executeRawUnsafe)\s*\(/, how: "Prisma $queryRawUnsafe/$executeRawUnsafe" },
  { re: /\bf"[^"]*\{[^}]+\}|\bf'[^']*\{[^}]+\}/, how: "Python f-string" },
  { re: /(?:"|')\s*%\s*(?:\(|[A-Za-z_])/, how: "%-formatting" },
  { re: /(?:"|')\s*\.format\(/, how: "str.format()" },
  { re: /"[^"]*#\{[^}]+\}/, how: "Ruby string interpolation" },
  { re: /fmt\.Sprintf\(/, how: "fmt.Sprintf" },
  { re: /\$"[^"]*\{[^}]+\}/, how: "C# interpolated string" },
  { re: /(?:"|')\s*\+\s*[A-Za-z_$][\w.$]*(?:\(|\s*\+|\s*$|\s*[;,)])/, how: "string concatenation" },
  { re: /[A-Za-z_$][\w.$]*(?:\)|\])?\s*\+\s*(?:"|')\s*(?:AND|OR|WHERE|,|\)|'|LIMIT|ORDER)/, how: "string concatenation" },
  { re: /"[^"]*\$[a-z_]\w*[^"]*"/, how: "PHP string interpolation" },
  { re: /(?:"|')\s*\.\s*\$[a-z_]/, how: "PHP string concatenation" },
];

/** Tags whose template literals are parameterised by the library (sql`…`, Prisma.sql`…`, $queryRaw`…`). */
const SAFE_TEMPLATE_TAG = /(?:\bsql|\bSQL|\$queryRaw|\$executeRaw|\bPrisma\.sql|\bgql|\bcss|\bhtml)\s*$/;

/**
 * SQL assembled by string interpolation or concatenation: a likely injection. Template literals and
 * Python triple-quoted f-strings are matched across lines; the rest line by line.
 */
export function findSqlInterpolation(facts: FileFacts): SqlFinding[] {
  const found = new Map<number, string>();
  if (/\.(?:[cm]?[jt]sx?)$/.test(facts.path)) {
    const template = /`((?:[^`\\]|\\.)*)`/g;
    let m: RegExpExecArray | null;
    while ((m = template.exec(facts.content)) !== null) {
      const body = m[1];
      if (!body.includes("${") || !SQL_SHAPE.test(body)) continue;
      const before = facts.content.slice(Math.max(0, m.index - 40), m.index);
      if (SAFE_TEMPLATE_TAG.test(before) && !/\.raw\(\s*$|Unsafe\(\s*$/.test(before)) continue;
      const first = lineAt(facts.content, m.index);
      const last = first + (m[0].match(/\n/g)?.length ?? 0);
      const touched = facts.wholeContentAdded || [...Array(last - first + 1).keys()].some((k) => facts.addedLineNumbers.has(first + k));
      if (touched) found.set(first, "template literal with ${…}");
    }
  }
  if (facts.ext === ".py") {
    const triple = /\bf("""|''')([\s\S]*?)\1/g;
    let m: RegExpExecArray | null;
    while ((m = triple.exec(facts.content)) !== null) {
      if (!SQL_SHAPE.test(m[2]) || !/\{[^}]+\}/.test(m[2])) continue;
      const first = lineAt(facts.content, m.index);
      const last = first + (m[0].match(/\n/g)?.length ?? 0);
      const touched = facts.wholeContentAdded || [...Array(last - first + 1).keys()].some((k) => facts.addedLineNumbers.has(first + k));
      if (touched) found.set(first, "Python f-string");
    }
  }
  for (const line of facts.added) {
    if (found.has(line.line)) continue;
    for (const { re, how } of LINE_INTERPOLATION) {
      const unsafeCall = how.startsWith("Prisma");
      if (re.test(line.text) && (unsafeCall || SQL_SHAPE.test(line.text))) {
        found.set(line.line, how);
        break;
      }
    }
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([line, text]) => ({ line, text }));
}
