import { main, usage } from "../../src/cli/main.js";

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe("codegen (CLI entry)", () => {
  test("lists every command", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    for (const name of ["run", "localize", "classify"]) expect(stdout).toContain(`  ${name}`);
    expect(stdout).toBe(`${usage()}\n`);
  });

  test("no command prints usage and exits 2", async () => {
    expect((await run([])).code).toBe(2);
  });

  test("an unknown command is an error with usage", async () => {
    const { code, stderr } = await run(["frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });

  test.each(["run", "localize", "classify"])("%s --help prints that command's usage", async (name) => {
    const { code, stdout } = await run([name, "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`codegen ${name}`);
  });
});
