import { narrowedTestCommand, shellWords } from "../../../src/verify/tamper/test-command.js";

describe("narrowedTestCommand", () => {
  test.each([
    ["npx jest", "npx jest test/cart.test.js", /restricts the run to `test\/cart\.test\.js`/],
    ["npx jest", "npx jest --testNamePattern 'cart'", /adds `--testNamePattern`, which filters tests by name/],
    ["npx jest", "npx jest -t=cart", /adds `-t=cart`/],
    ["npx jest", "npx jest --testPathIgnorePatterns integration", /filters test files/],
    ["npx jest", "npx jest -u", /rewrites snapshots/],
    ["npx jest --ci", "npx jest --ci --passWithNoTests", /passes when tests are missing/],
    ["npx vitest run", "npx vitest run --changed", /runs only some tests/],
    ["npx mocha", "npx mocha --grep total", /filters tests by name/],
    ["node --test", "node --test --test-name-pattern=cart", /filters tests by name/],
    ["npm test", "npm test || true", /ignores the exit code/],
    ["npm test", "npm test; exit 0", /exits 0 whatever the tests did/],
    ["npm test", "npm test | tee test.log", /pipes the output into another program/],
    ["npm test", "set +e; npm test", /set \+e/],
    ["npm test", "echo ok", /no longer runs `npm test`/],
    ["npm run lint && npm test", "npm test", /drops `npm run lint` from the command/],
    ["go test ./...", "go test ./cart/...", /no longer runs `\.\/\.\.\.`/],
    ["go test ./...", "go test -run TestTotal ./...", /adds `-run`, which selects Go tests/],
    ["go test ./...", "go test -short ./...", /selects Go tests/],
    ["python3 -m pytest -q", "python3 -m pytest -q -k 'not slow'", /adds `-k`, which selects tests by keyword or tag/],
    ["python3 -m pytest -q", "python3 -m pytest -q --deselect tests/test_cart.py::test_total", /adds `--deselect`/],
    ["python3 -m pytest -q", "python3 -m pytest -q --lf", /runs only some tests/],
    ["pytest", "pytest --reruns 5", /retries failing tests/],
    ["pytest tests integration", "pytest tests", /no longer runs `integration`/],
    ["npx jest", "npx jest --passWithNoTests test/format.test.js", /restricts the run to `test\/format\.test\.js`/],
    ["npx jest", "npx jest -t total test/cart.test.js", /restricts the run to `test\/cart\.test\.js`/],
  ])("%j → %j", (before, after, reason) => {
    expect(narrowedTestCommand(before, after).join("\n")).toMatch(reason);
  });

  test.each([
    ["npx jest", "npx jest"],
    ["npx jest", "npx  jest "],
    ["npx jest", "npx jest --coverage"],
    ["npx jest", "npx jest --ci 2>&1"],
    ["pytest tests", "pytest tests integration"],
    ["go test ./...", "go test -race ./..."],
    ["go test ./...", "go test -count=1 -v ./..."],
    ["npx jest", "npx jest -x"],
  ])("%j → %j does not narrow", (before, after) => {
    expect(narrowedTestCommand(before, after)).toEqual([]);
  });

  test("shell words honour quotes and keep operators apart", () => {
    expect(shellWords(`pytest -k "not slow and not db" 'a b'&&echo x\\ y||true`)).toEqual([
      "pytest", "-k", "not slow and not db", "a b", "&&", "echo", "x y", "||", "true",
    ]);
  });
});
