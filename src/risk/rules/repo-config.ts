import { firstMatchingPattern, type PathPattern } from "../globs.js";
import { addedLinesMatching, onLines, snippet } from "../scan.js";
import { category, escalator, type RiskRule, type RuleFinding } from "./types.js";

export const CODEGEN_CONFIG_GLOB = ".github/codegen.{yml,yaml}";

/** Files that govern who reviews, what is trusted and where packages come from. */
export const GOVERNANCE_PATTERNS: readonly PathPattern[] = [
  { glob: "{.github/,docs/,}CODEOWNERS", label: "CODEOWNERS (decides who must review)" },
  { glob: ".github/{settings.yml,dependabot.yml,dependabot.yaml,renovate.json,renovate.json5}", label: "repository automation settings" },
  { glob: "{renovate.json,renovate.json5,.renovaterc,.renovaterc.json}", label: "Renovate configuration" },
  { glob: "**/{.gitattributes,.gitmodules}", label: "git attributes/submodules" },
  { glob: "**/{.npmrc,.yarnrc,.yarnrc.yml,.pnpmfile.cjs,pip.conf,.pypirc,.condarc,nuget.config,NuGet.Config}", label: "package registry configuration" },
  { glob: "**/.pre-commit-config.{yaml,yml}", label: "pre-commit hooks" },
  { glob: "**/.husky/**", label: "git hooks (husky)" },
  { glob: ".devcontainer/**", label: "dev container definition" },
];

/** Build, lint and test tooling: it decides what verification actually checks. */
export const TOOLING_PATTERNS: readonly PathPattern[] = [
  { glob: "**/{jest,vitest,karma,playwright,cypress,ava,mocha}.config.{js,ts,mjs,cjs,mts,cts,json}", label: "test runner configuration" },
  { glob: "**/{.mocharc*,.nycrc*,pytest.ini,tox.ini,noxfile.py,.coveragerc,phpunit.xml,phpunit.xml.dist,.rspec,codecov.yml,.codecov.yml}", label: "test configuration" },
  { glob: "**/{tsconfig*.json,jsconfig.json,babel.config.*,.babelrc*,.swcrc}", label: "compiler configuration" },
  { glob: "**/{webpack,vite,rollup,esbuild,tsup,next,nuxt,svelte,astro,remix}.config.{js,ts,mjs,cjs,mts}", label: "bundler/framework configuration" },
  { glob: "**/{.eslintrc*,eslint.config.*,.prettierrc*,prettier.config.*,.stylelintrc*,biome.json,.editorconfig,.rubocop*.yml,ruff.toml,.ruff.toml,mypy.ini,.flake8,.pylintrc,setup.cfg,.golangci.y*ml,rustfmt.toml,clippy.toml}", label: "lint/format configuration" },
  { glob: "**/{Makefile,makefile,GNUmakefile,*.mk,Rakefile,Taskfile.yml,justfile,Justfile,turbo.json,nx.json,lerna.json,pnpm-workspace.yaml}", label: "build/task configuration" },
  { glob: "**/{.nvmrc,.node-version,.python-version,.ruby-version,.tool-versions,.java-version,rust-toolchain,rust-toolchain.toml,.sdkmanrc}", label: "runtime version pin" },
  { glob: "**/{.env.example,.env.sample,.env.template,.env.defaults}", label: "environment template" },
];

const VERIFICATION_WEAKENING =
  /testPathIgnorePatterns|modulePathIgnorePatterns|coveragePathIgnorePatterns|passWithNoTests|--ignore\b|collect_ignore|--deselect|\bfail_under\s*=|coverageThreshold|continue-on-error:\s*true|\|\|\s*true\b|"skipLibCheck"\s*:\s*true|"strict"\s*:\s*false|"noEmitOnError"\s*:\s*false|\bexclude\s*[:=]/;

export const repoConfigRule: RiskRule = {
  id: "repo-config",
  description: "The repository's own configuration: codegen's policy file, governance and tooling.",
  evaluate(facts) {
    const findings: RuleFinding[] = [];
    if (facts.allPaths.some((p) => /^\.github\/codegen\.ya?ml$/.test(p))) {
      findings.push(
        category("critical", "codegen's own policy file (.github/codegen.yml): the app never merges changes to its own rules", {
          locked: true,
        }),
      );
      return findings;
    }
    const governance = firstMatchingPattern(facts.path, GOVERNANCE_PATTERNS);
    if (governance) findings.push(category("high", governance.label));
    if (facts.isTestLike || facts.isDoc) return findings;
    const tooling = firstMatchingPattern(facts.path, TOOLING_PATTERNS);
    if (tooling) {
      findings.push(category("medium", tooling.label));
      const weakening = addedLinesMatching(facts, VERIFICATION_WEAKENING);
      if (weakening.length) {
        findings.push(escalator("medium", `may weaken verification (${snippet(weakening[0].text, 50)})${onLines(weakening)}`));
      }
    }
    return findings;
  },
};
