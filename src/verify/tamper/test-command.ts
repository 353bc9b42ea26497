/**
 * Does a new test command run fewer tests than the old one, or hide their failures? Command lines are split
 * into words with shell quoting honoured; the checks look at what was added (filters, paths, masks) and
 * what was removed (whole `&&` segments, paths).
 */

/** Flags that select a subset of tests, or change what counts as passing; `value`: takes the next word. */
const NARROWING_FLAGS: { flag: RegExp; why: string; value: boolean }[] = [
  { flag: /^(-t|--testNamePattern|--test-name-pattern|--grep|-g|--fgrep|-f|--test-skip-pattern|-e|--example)$/, why: "filters tests by name", value: true },
  { flag: /^(--invert|-i)$/, why: "inverts the name filter", value: false },
  { flag: /^(--testPathPatterns?|--testPathIgnorePatterns|--test-path-pattern|--selectProjects|--ignoreProjects|--project|--spec|--exclude|--ignore|--ignore-glob|--deselect|--dir)$/, why: "filters test files", value: true },
  { flag: /^(-k|-m|--tag)$/, why: "selects tests by keyword or tag", value: true },
  { flag: /^(-run|-skip|--test\.run|--test\.skip)$/, why: "selects Go tests", value: true },
  { flag: /^(-short|--test\.short)$/, why: "selects Go tests", value: false },
  { flag: /^(--changedSince|--shard|--test-shard)$/, why: "runs only some tests", value: true },
  { flag: /^(-o|--onlyChanged|--changed|--lastCommit|--findRelatedTests|--related|--lf|--last-failed|--sw|--stepwise|--only-failures|--next-failure)$/, why: "runs only some tests", value: false },
  { flag: /^(--passWithNoTests|--pass-with-no-tests|--allowOnly|--allow-only|--test-only|--no-fail-on-empty)$/, why: "passes when tests are missing or focused", value: false },
  { flag: /^(-u|--updateSnapshot|--update-snapshots|--snapshot-update|--ci=false|--no-ci)$/, why: "rewrites snapshots instead of checking them", value: false },
  { flag: /^(--retries|--retry|--reruns|--rerun|--count|--flake-finder)$/, why: "retries failing tests until they pass", value: true },
];

/** Words that invoke a test runner. */
const RUNNER = /(^|\s|\/)(jest|vitest|mocha|ava|tap|tape|pytest|py\.test|rspec|phpunit|cargo\s+test|go\s+test|node\s+(.*\s)?--test|(npm|pnpm|yarn|bun)\s+(run\s+)?test(:\S+)?|make\s+(\S+\s+)*test|tox|nox|gradle\w*\s+(\S+\s+)*test|mvn\w*\s+(\S+\s+)*test|dotnet\s+test|bundle\s+exec\s+(rspec|rake))(\s|$)/;

/** Shell words of a command line (quotes honoured, operators kept as their own words). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | null = null;
  let has = false;
  const flush = () => {
    if (has) words.push(word);
    word = "";
    has = false;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (c === "\\" && i + 1 < command.length) {
      word += command[++i];
      has = true;
    } else if (/\s/.test(c)) {
      flush();
    } else if (/[;&|]/.test(c)) {
      flush();
      let op = c;
      while (i + 1 < command.length && /[;&|]/.test(command[i + 1])) op += command[++i];
      words.push(op);
    } else {
      word += c;
      has = true;
    }
  }
  flush();
  return words;
}

/** Redirections (`2>&1`, `> out.log`, `< in`) say nothing about which tests run. */
function withoutRedirections(command: string): string {
  return command.replace(/(^|\s)\d*(>>?|<)&?\s*\S+/g, " ");
}

/** The words of each `&&`/`;`/`||`/`|`-separated part of a command line. */
function segmentWords(command: string): string[][] {
  const parts: string[][] = [[]];
  for (const word of shellWords(withoutRedirections(command))) {
    if (/^[;&|]+$/.test(word)) parts.push([]);
    else parts[parts.length - 1].push(word);
  }
  return parts.filter((p) => p.length > 0);
}

function segments(command: string): string[] {
  return segmentWords(command).map((p) => p.join(" "));
}

/** Positional words of the parts that run a test runner. */
function runnerPositionals(command: string): string[] {
  return segmentWords(command)
    .filter((words) => RUNNER.test(words.join(" ")))
    .flatMap(positionals);
}

const RUNNER_WORDS = new Set([
  "npx", "npm", "pnpm", "yarn", "bun", "bunx", "run", "test", "exec", "jest", "vitest", "mocha", "ava", "tap", "tape",
  "pytest", "py.test", "python", "python3", "-m", "go", "node", "--test", "--", "make", "tox", "nox", "rspec", "bundle",
  "cargo", "phpunit", "dotnet", "gradle", "./gradlew", "mvn", "./mvnw", "cross-env", "CI=true",
]);

function flagName(word: string): string {
  return word.startsWith("-") ? word.split("=")[0] : word;
}

function narrowingFlag(word: string): { flag: string; why: string; value: boolean } | null {
  const name = flagName(word);
  for (const { flag, why, value } of NARROWING_FLAGS) if (flag.test(name) || flag.test(word)) return { flag: name, why, value };
  return null;
}

/** Positional words (paths, patterns) after the runner, skipping values of the flags before them. */
function positionals(words: string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith("-")) {
      // A flag without `=` that is known to take a value swallows the next word.
      if (!w.includes("=") && narrowingFlag(w)?.value && i + 1 < words.length && !words[i + 1].startsWith("-")) i++;
      continue;
    }
    if (RUNNER_WORDS.has(w) || /^[A-Z_]+=/.test(w) || /^\d+$/.test(w)) continue;
    result.push(w);
  }
  return result;
}

const MASKS: { pattern: RegExp; why: string }[] = [
  { pattern: /\|\|\s*(true|:|exit\s+0|echo\b|printf\b)/, why: "ignores the exit code (`|| true`)" },
  { pattern: /(;|&&)\s*(exit\s+0|true|:)\s*$/, why: "exits 0 whatever the tests did" },
  { pattern: /(^|[^|])\|\s*(tee|cat|grep|head|tail|sed|awk|less|more)\b/, why: "pipes the output into another program, whose exit code replaces the tests'" },
  { pattern: /\bset\s+\+e\b/, why: "turns off failing on errors (`set +e`)" },
];

/** Reasons the new command runs fewer tests than the old one or masks failures; empty when it does not. */
export function narrowedTestCommand(before: string, after: string): string[] {
  const reasons: string[] = [];
  const norm = (c: string) => shellWords(c).join(" ");
  if (norm(before) === norm(after)) return reasons;

  for (const { pattern, why } of MASKS) {
    if (pattern.test(after) && !pattern.test(before)) reasons.push(why);
  }

  const beforeWords = shellWords(before);
  const afterWords = shellWords(after);
  const beforeFlags = new Set(beforeWords.filter((w) => w.startsWith("-")).map(flagName));
  for (const word of afterWords) {
    const narrowing = word.startsWith("-") ? narrowingFlag(word) : null;
    if (narrowing && !beforeFlags.has(narrowing.flag)) reasons.push(`adds \`${word}\`, which ${narrowing.why}`);
  }

  const beforePaths = runnerPositionals(before);
  const afterPaths = runnerPositionals(after);
  const addedPaths = afterPaths.filter((p) => !beforePaths.includes(p));
  const removedPaths = beforePaths.filter((p) => !afterPaths.includes(p));
  // Paths where there were none narrow the run; dropping a path narrows it; only adding paths widens it.
  if (beforePaths.length === 0 && addedPaths.length > 0) reasons.push(`restricts the run to ${addedPaths.map((p) => `\`${p}\``).join(", ")}`);
  else if (removedPaths.length > 0) reasons.push(`no longer runs ${removedPaths.map((p) => `\`${p}\``).join(", ")}`);

  const beforeSegments = segments(before);
  const afterSegments = new Set(segments(after));
  for (const segment of beforeSegments) {
    if (afterSegments.has(segment)) continue;
    if (RUNNER.test(segment) && ![...afterSegments].some((s) => RUNNER.test(s))) reasons.push(`no longer runs \`${segment}\``);
    else if (!RUNNER.test(segment) && beforeSegments.length > 1 && afterSegments.size < beforeSegments.length) {
      reasons.push(`drops \`${segment}\` from the command`);
    }
  }
  return [...new Set(reasons)];
}
