import { firstMatchingPattern, type PathPattern } from "../globs.js";
import { addedLinesMatching, onLines } from "../scan.js";
import { category, escalator, type RiskRule, type RuleFinding } from "./types.js";

export const WORKFLOW_GLOB = ".github/workflows/**";

export const CI_PATH_PATTERNS: readonly PathPattern[] = [
  { glob: ".github/workflows/**", label: "GitHub Actions workflow" },
  { glob: "**/action.{yml,yaml}", label: "GitHub Action definition" },
  { glob: ".github/actions/**", label: "local GitHub Action used by workflows" },
  { glob: "**/.gitlab-ci.yml", label: "GitLab CI configuration" },
  { glob: "**/.gitlab/ci/**", label: "GitLab CI configuration" },
  { glob: "**/Jenkinsfile{,.*}", label: "Jenkins pipeline" },
  { glob: "**/.circleci/**", label: "CircleCI configuration" },
  { glob: "**/azure-pipelines{,.*}.{yml,yaml}", label: "Azure Pipelines configuration" },
  { glob: "**/bitbucket-pipelines.yml", label: "Bitbucket Pipelines configuration" },
  { glob: "**/.buildkite/**", label: "Buildkite pipeline" },
  { glob: "**/.travis.yml", label: "Travis CI configuration" },
  { glob: "**/.drone.yml", label: "Drone CI configuration" },
  { glob: "**/{cloudbuild,buildspec}.{yaml,yml}", label: "cloud build pipeline" },
  { glob: "**/.woodpecker{.yml,/**}", label: "Woodpecker CI configuration" },
  { glob: "**/appveyor.yml", label: "AppVeyor configuration" },
];

const RISKY_WORKFLOW_CONTENT: readonly { re: RegExp; label: string }[] = [
  { re: /\bpull_request_target\b/, label: "runs on pull_request_target (untrusted code with repository secrets)" },
  { re: /\bworkflow_run\b/, label: "triggered by workflow_run" },
  { re: /^\s*permissions:|:\s*write\b/, label: "changes token permissions" },
  { re: /\$\{\{\s*secrets\./, label: "uses repository secrets" },
  { re: /id-token:\s*write/, label: "requests an OIDC token (cloud credentials)" },
  { re: /runs-on:.*self-hosted/, label: "runs on self-hosted runners" },
  { re: /\$\{\{\s*github\.event\.(?:issue|comment|pull_request|review)\.[\w.]*(?:title|body|head_ref|label)/, label: "interpolates untrusted event text into a script" },
  { re: /\b(?:deploy|kubectl\s+apply|terraform\s+apply|helm\s+upgrade|npm\s+publish|docker\s+push|gh\s+release)\b/, label: "deploys or publishes" },
];

export const ciRule: RiskRule = {
  id: "ci",
  description: "CI/CD pipeline configuration: runs with repository secrets; workflows are at least high.",
  evaluate(facts) {
    const findings: RuleFinding[] = [];
    let row: PathPattern | undefined;
    for (const path of facts.allPaths) row ??= firstMatchingPattern(path, CI_PATH_PATTERNS);
    if (!row) return findings;
    const workflow = row.glob === WORKFLOW_GLOB;
    findings.push(category("high", row.label, workflow ? { locked: true, tags: ["workflow"] } : {}));
    for (const { re, label } of RISKY_WORKFLOW_CONTENT) {
      const lines = addedLinesMatching(facts, re);
      if (lines.length) findings.push(escalator("high", `${label}${onLines(lines)}`));
    }
    return findings;
  },
};
