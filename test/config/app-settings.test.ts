import { loadAppSettings } from "../../src/config/app-settings.js";
import { ConfigurationError } from "../../src/errors/index.js";

describe("loadAppSettings", () => {
  test("defaults, and empty values count as unset", () => {
    const settings = loadAppSettings({ ANTHROPIC_API_KEY: "", CODEGEN_CONCURRENCY: " " });
    expect(settings.ANTHROPIC_API_KEY).toBeUndefined();
    expect(settings.CODEGEN_CONCURRENCY).toBe(2);
    expect(settings.SANDBOX_IMAGE).toBe("codegen-sandbox:latest");
    expect(settings.CODEGEN_MODEL).toBe("claude-sonnet-4-6");
  });

  test("numbers are coerced and validated, naming the variable", () => {
    expect(loadAppSettings({ CODEGEN_CONCURRENCY: "4" }).CODEGEN_CONCURRENCY).toBe(4);
    expect(() => loadAppSettings({ CODEGEN_CONCURRENCY: "-1" })).toThrow(ConfigurationError);
    expect(() => loadAppSettings({ ANTHROPIC_BASE_URL: "not a url" })).toThrow(/ANTHROPIC_BASE_URL/);
  });
});
