/** Jest in ESM mode: Probot 14 is ESM-only, so tests run under --experimental-vm-modules. */
export default {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Fixture repositories contain their own (non-codegen) test files.
  testPathIgnorePatterns: ["/node_modules/", "/test/fixtures/"],
  moduleNameMapper: {
    // TypeScript ESM sources import siblings with a .js suffix; map them back to the .ts file.
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json", diagnostics: false }],
  },
  // Docker-backed suites start containers; the default 5 s is too short for them.
  testTimeout: 60_000,
};
