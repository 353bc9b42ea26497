import { firstMatchingPattern, type PathPattern } from "../globs.js";
import type { FileFacts, NumberedLine } from "../file-facts.js";
import { onLines, snippet } from "../scan.js";
import { category, escalator, type RiskRule, type RuleFinding } from "./types.js";

export const MANIFEST_PATTERNS: readonly PathPattern[] = [
  { glob: "**/package.json", label: "npm manifest (package.json)" },
  { glob: "**/{requirements,requirements-*,requirements_*,*-requirements,constraints}.{txt,in}", label: "pip requirements" },
  { glob: "**/requirements/*.{txt,in}", label: "pip requirements" },
  { glob: "**/{Pipfile,pyproject.toml,setup.py,environment.yml,environment.yaml}", label: "Python project manifest" },
  { glob: "**/{Gemfile,*.gemspec}", label: "Ruby gem manifest" },
  { glob: "**/go.mod", label: "Go module manifest (go.mod)" },
  { glob: "**/Cargo.toml", label: "Cargo manifest" },
  { glob: "**/composer.json", label: "Composer manifest" },
  { glob: "**/pom.xml", label: "Maven POM" },
  { glob: "**/{build.gradle,build.gradle.kts,settings.gradle,settings.gradle.kts,gradle/libs.versions.toml}", label: "Gradle build" },
  { glob: "**/mix.exs", label: "Mix project (mix.exs)" },
  { glob: "**/{*.csproj,*.fsproj,packages.config,Directory.Packages.props,Directory.Build.props}", label: ".NET project / packages" },
  { glob: "**/{pubspec.yaml,Package.swift,deno.json,deno.jsonc,bunfig.toml}", label: "package manifest" },
];

export const LOCKFILE_PATTERNS: readonly PathPattern[] = [
  { glob: "**/{package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lockb,bun.lock}", label: "npm lockfile" },
  { glob: "**/{poetry.lock,Pipfile.lock,uv.lock,pdm.lock}", label: "Python lockfile" },
  { glob: "**/{Gemfile.lock,go.sum,Cargo.lock,composer.lock,mix.lock,packages.lock.json,gradle.lockfile,pubspec.lock,Package.resolved,deno.lock}", label: "dependency lockfile" },
];

interface DeclaredDependency {
  name: string;
  spec: string;
  line: number;
}

/** Installed from somewhere other than the ecosystem's registry: a git URL, a tarball URL, a local path. */
const NON_REGISTRY = /^(?:git\+|git:|github:|gitlab:|bitbucket:|https?:|file:|link:|portal:)|^[\w-]+\/[\w.-]+(?:#.*)?$|\bgit\s*=|\bpath\s*=|\burl\s*=|\bgit:\s|\bgithub:\s|\bpath:\s|@\s*(?:git\+|https?:|file:)/;

function jsonDependencies(facts: FileFacts, sections: readonly string[]): DeclaredDependency[] {
  let names = new Set<string>();
  try {
    const parsed = JSON.parse(facts.content) as Record<string, unknown>;
    for (const section of sections) {
      const deps = parsed[section];
      if (deps && typeof deps === "object") for (const name of Object.keys(deps)) names.add(name);
    }
  } catch {
    names = new Set(); // unparsable JSON: fall back to reporting nothing rather than guessing
  }
  const entry = /^\s*"([^"]+)"\s*:\s*"([^"]*)"/;
  return facts.added.flatMap((l) => {
    const m = entry.exec(l.text);
    return m && names.has(m[1]) ? [{ name: m[1], spec: m[2], line: l.line }] : [];
  });
}

/** The `[section]` header that a TOML line sits under, read from the new content. */
function tomlSection(content: string[], line: number): string {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^\s*\[{1,2}([^\]]+)\]{1,2}\s*$/.exec(content[i] ?? "");
    if (m) return m[1].trim();
  }
  return "";
}

function tomlDependencies(facts: FileFacts): DeclaredDependency[] {
  const lines = facts.content.split(/\r?\n/);
  const found: DeclaredDependency[] = [];
  for (const l of facts.added) {
    const section = tomlSection(lines, l.line);
    const inDependencySection = /(?:^|\.)(?:dependencies|dev-dependencies|build-dependencies|dev-packages|packages|dependency-groups|optional-dependencies)(?:\.|$)|^project$|^tool\.poetry\.group\.[\w-]+\.dependencies$/.test(section);
    if (!inDependencySection) continue;
    const key = /^\s*([A-Za-z0-9][\w.-]*)\s*=\s*(.*)$/.exec(l.text);
    if (key && !["dependencies", "name", "version", "requires-python", "description", "readme", "python"].includes(key[1])) {
      found.push({ name: key[1], spec: key[2], line: l.line });
      continue;
    }
    const item = /^\s*["']([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*([^"']*)["']/.exec(l.text);
    if (item) found.push({ name: item[1], spec: item[2], line: l.line });
  }
  return found;
}

function lineDependencies(added: readonly NumberedLine[], pattern: RegExp, specGroup = 2): DeclaredDependency[] {
  return added.flatMap((l) => {
    const m = pattern.exec(l.text);
    return m ? [{ name: m[1], spec: m[specGroup] ?? l.text, line: l.line }] : [];
  });
}

function pomDependencies(facts: FileFacts): DeclaredDependency[] {
  const lines = facts.content.split(/\r?\n/);
  return facts.added.flatMap((l) => {
    const m = /<artifactId>\s*([\w.-]+)\s*<\/artifactId>/.exec(l.text);
    if (!m) return [];
    const context = lines.slice(Math.max(0, l.line - 5), l.line - 1).join("\n");
    return /<dependency>/.test(context) ? [{ name: m[1], spec: "", line: l.line }] : [];
  });
}

function declaredDependencies(facts: FileFacts): DeclaredDependency[] {
  const name = facts.basename;
  if (name === "package.json") {
    return jsonDependencies(facts, ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"]);
  }
  if (name === "composer.json") return jsonDependencies(facts, ["require", "require-dev"]);
  if (name.endsWith(".toml") || name === "Pipfile") return tomlDependencies(facts);
  if (/requirements|constraints/.test(name) || /\/requirements\//.test(facts.path)) {
    return lineDependencies(facts.added, /^\s*([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*((?:[<>=!~;@].*)?)$/);
  }
  if (name === "Gemfile" || name.endsWith(".gemspec")) {
    return lineDependencies(facts.added, /^\s*(?:gem|\w+\.add_(?:runtime_|development_)?dependency)\s*\(?\s*['"]([\w.-]+)['"](.*)$/);
  }
  if (name === "go.mod") return lineDependencies(facts.added, /^\s*(?:require\s+)?([\w.-]+\.[\w.\/-]+)\s+(v[\w.+-]+.*)$/);
  if (name.startsWith("build.gradle")) {
    return lineDependencies(facts.added, /^\s*(?:implementation|api|compile|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|annotationProcessor|kapt|ksp|classpath)\s*\(?\s*['"]([\w.-]+:[\w.-]+)(.*)$/);
  }
  if (name === "pom.xml") return pomDependencies(facts);
  if (name.endsWith("proj") || name.endsWith(".props") || name === "packages.config") {
    return lineDependencies(facts.added, /<Package(?:Reference|Version)\s+Include="([^"]+)"(.*)$/);
  }
  if (name === "mix.exs") return lineDependencies(facts.added, /\{:(\w+),\s*(.*)$/);
  if (name === "setup.py") return lineDependencies(facts.added, /^\s*["']([A-Za-z0-9][\w.-]*)\s*((?:[<>=!~].*)?)["'],?\s*$/);
  return [];
}

/** Names that also appear on removed lines were already there: a version bump, not a new dependency. */
function previouslyDeclared(facts: FileFacts): Set<string> {
  const names = new Set<string>();
  for (const l of facts.removed) {
    const m = /["']?([A-Za-z0-9@][\w.@\/:-]*)["']?\s*[:=<>~!\s(]/.exec(l.text.replace(/^\s*(?:gem|require|implementation|api)\s*\(?\s*/, ""));
    if (m) names.add(m[1]);
    const artifact = /<artifactId>\s*([\w.-]+)/.exec(l.text) ?? /Include="([^"]+)"/.exec(l.text) ?? /\{:(\w+),/.exec(l.text);
    if (artifact) names.add(artifact[1]);
  }
  return names;
}

const INSTALL_SCRIPTS = /^\s*"(?:preinstall|install|postinstall|prepare|prepublish)"\s*:/;
const EXTRA_REGISTRY = /^\s*(?:--index-url|--extra-index-url|-i\s|--trusted-host|--find-links|-f\s)|^\s*source\s+['"]https?:|^\s*replace\s+\S+|\bmaven\s*\{\s*url|\bregistry\s*[=:]/;

export const dependenciesRule: RiskRule = {
  id: "dependencies",
  description: "Dependency manifests and lockfiles; new dependencies escalate.",
  evaluate(facts) {
    const findings: RuleFinding[] = [];
    if (facts.isTestLike || facts.isDoc) return findings;
    const lock = firstMatchingPattern(facts.path, LOCKFILE_PATTERNS);
    if (lock) return [category("medium", `${lock.label} changed`, { tags: ["dependency-manifest"] })];
    const manifest = firstMatchingPattern(facts.path, MANIFEST_PATTERNS);
    if (!manifest) return findings;
    findings.push(category("medium", manifest.label, { tags: ["dependency-manifest"] }));
    if (facts.status === "deleted") return findings;
    const before = previouslyDeclared(facts);
    const added = declaredDependencies(facts).filter((d) => !before.has(d.name));
    const fromElsewhere = added.filter((d) => NON_REGISTRY.test(d.spec.trim().replace(/^["']|["']$/g, "")));
    if (fromElsewhere.length) {
      const d = fromElsewhere[0];
      findings.push(
        escalator("high", `adds dependency ${snippet(d.name, 50)} from outside the package registry (${snippet(d.spec, 50)})${onLines(fromElsewhere.map((x) => x.line))}`),
      );
    }
    if (added.length) {
      const names = added.slice(0, 5).map((d) => snippet(d.name, 50)).join(", ");
      const more = added.length > 5 ? ` and ${added.length - 5} more` : "";
      findings.push(escalator("medium", `adds dependenc${added.length === 1 ? "y" : "ies"} ${names}${more}${onLines(added.map((d) => d.line))}`));
    }
    const scripts = facts.basename === "package.json" ? facts.added.filter((l) => INSTALL_SCRIPTS.test(l.text)) : [];
    if (scripts.length) findings.push(escalator("high", `adds an install-time script (runs on every npm install)${onLines(scripts)}`));
    const registries = facts.added.filter((l) => EXTRA_REGISTRY.test(l.text));
    if (registries.length) findings.push(escalator("high", `changes where packages come from (${snippet(registries[0].text, 50)})${onLines(registries)}`));
    return findings;
  },
};
