import { detectCommands } from "../../src/config/detect-commands.js";

const reader = (files: Record<string, string>) => async (name: string) => files[name] ?? null;

describe("detectCommands", () => {
  test.each([
    ["npm with lockfile", { "package.json": '{"scripts":{"test":"jest"},"devDependencies":{"jest":"1"}}', "package-lock.json": "{}" }, "npm test", "npm ci --no-audit --no-fund"],
    ["npm without deps", { "package.json": '{"scripts":{"test":"node --test"}}' }, "npm test", undefined],
    ["npm without lockfile", { "package.json": '{"scripts":{"test":"mocha"},"dependencies":{"x":"1"}}' }, "npm test", "npm install --no-audit --no-fund"],
    ["yarn", { "package.json": '{"scripts":{"test":"jest"}}', "yarn.lock": "x" }, "npm test", "corepack yarn install --frozen-lockfile"],
    ["pnpm", { "package.json": '{"scripts":{"test":"jest"}}', "pnpm-lock.yaml": "x" }, "npm test", "corepack pnpm install --frozen-lockfile"],
    ["go", { "go.mod": "module x" }, "go test ./...", "go mod download"],
    ["pytest.ini", { "pytest.ini": "[pytest]" }, "python3 -m pytest -q", undefined],
    ["pyproject with pytest", { "pyproject.toml": "[tool.pytest.ini_options]" }, "python3 -m pytest -q", undefined],
    ["requirements", { "requirements.txt": "requests" }, "python3 -m pytest -q", "python3 -m pip install -r requirements.txt"],
  ])("%s", async (_name, files, test, install) => {
    const detected = await detectCommands(reader(files));
    expect(detected.test).toBe(test);
    expect(detected.install).toBe(install);
  });

  test("npm's placeholder test script is not a test command", async () => {
    const detected = await detectCommands(reader({ "package.json": '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' }));
    expect(detected.test).toBeUndefined();
  });

  test("malformed package.json falls through to other ecosystems", async () => {
    const detected = await detectCommands(reader({ "package.json": "{oops", "go.mod": "module x" }));
    expect(detected.test).toBe("go test ./...");
  });

  test("nothing detected", async () => {
    expect(await detectCommands(reader({ "README.md": "hi" }))).toEqual({ source: "nothing detected" });
  });
});
