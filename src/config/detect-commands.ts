/**
 * When `.github/codegen.yml` names no test or install command, guess them from the files at the
 * repository root, the way a new contributor would.
 */
export interface DetectedCommands {
  test?: string;
  install?: string;
  /** Why these were chosen, for the status comment. */
  source: string;
}

/** `files` maps a root-level file name to its content (only the few files this needs are read). */
export type RootFileReader = (name: string) => Promise<string | null>;

const NPM_PLACEHOLDER_TEST = /no test specified/;

export async function detectCommands(readRootFile: RootFileReader): Promise<DetectedCommands> {
  const packageJson = await readRootFile("package.json");
  if (packageJson !== null) {
    const pkg = safeJson(packageJson);
    const scripts = (pkg?.scripts ?? {}) as Record<string, unknown>;
    const testScript = typeof scripts.test === "string" ? scripts.test : undefined;
    const hasDeps = Object.keys({ ...(pkg?.dependencies as object), ...(pkg?.devDependencies as object) }).length > 0;
    let install: string | undefined;
    if (await readRootFile("pnpm-lock.yaml")) install = "corepack pnpm install --frozen-lockfile";
    else if (await readRootFile("yarn.lock")) install = "corepack yarn install --frozen-lockfile";
    else if (await readRootFile("package-lock.json")) install = "npm ci --no-audit --no-fund";
    else if (hasDeps) install = "npm install --no-audit --no-fund";
    if (testScript && !NPM_PLACEHOLDER_TEST.test(testScript)) {
      return { test: "npm test", install, source: "package.json `test` script" };
    }
  }
  if (await readRootFile("go.mod")) {
    return { test: "go test ./...", install: "go mod download", source: "go.mod" };
  }
  const pyproject = await readRootFile("pyproject.toml");
  const setupCfg = await readRootFile("setup.cfg");
  const pythonSignals =
    (await readRootFile("pytest.ini")) !== null ||
    (await readRootFile("conftest.py")) !== null ||
    (pyproject !== null && /\[tool\.pytest/.test(pyproject)) ||
    (setupCfg !== null && /\[tool:pytest\]/.test(setupCfg)) ||
    (await readRootFile("tox.ini")) !== null;
  const requirements = await readRootFile("requirements.txt");
  if (pythonSignals || requirements !== null || pyproject !== null) {
    return {
      test: "python3 -m pytest -q",
      install: requirements !== null ? "python3 -m pip install -r requirements.txt" : undefined,
      source: pythonSignals ? "pytest configuration" : "Python project files",
    };
  }
  return { source: "nothing detected" };
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
