import { classifyContent, classifyPath, isColocatedTest, KIND_WEIGHT, MAX_FILE_BYTES, MAX_SOURCE_BYTES } from "../../src/context/candidates.js";

describe("classifyPath", () => {
  it.each([
    ["src/index.js", "source"],
    ["lib/server.py", "source"],
    ["cmd/tool/main.go", "source"],
    ["src/main/java/com/acme/Foo.java", "source"],
    ["test/index.test.js", "test"],
    ["src/__tests__/a.ts", "test"],
    ["system-tests/cli/config.js", "test"],
    ["tests_integration/cli/arg-parsing/file.js", "test"],
    ["packages/core/unit-test/a.js", "test"],
    ["src/latest/index.js", "source"],
    ["src/contest/tests-runner.js", "source"],
    ["packages/jest-test-result/src/index.ts", "source"],
    ["typing-tests/moment-tests.ts", "test"],
    ["ts3.1-typing-tests/moment-tests.ts", "test"],
    ["test-d/index.test-d.ts", "test"],
    ["index.test-d.ts", "test"],
    ["core/commonTest/src/kotlinx/serialization/BasicTypes.kt", "test"],
    ["projects/core/koin-core/src/jvmTest/kotlin/org/koin/Data.kt", "test"],
    ["app/src/androidTest/java/com/acme/MainScreen.kt", "test"],
    ["detekt-gradle-plugin/src/functionalTest/kotlin/Fixtures.kt", "test"],
    ["core/commonMain/src/kotlinx/serialization/Serializers.kt", "source"],
    ["src/features/abtest/variant.ts", "source"],
    ["src/Tests/Parser.cs", "test"],
    ["src/UnitTests/Bug/MapOverloadsWithDynamic.cs", "test"],
    ["src/IntegrationTests.Net4/ExpandMembersPath.cs", "test"],
    ["src/Newtonsoft.Json.Tests/Issues/Issue1984.cs", "test"],
    ["test/Serilog.Tests/Core/LoggerTests.cs", "test"],
    ["src/Polly.Specs/Retry/RetrySpecs.cs", "test"],
    ["src/Newtonsoft.Json/Serialization/JsonContract.cs", "source"],
    ["src/components/unitTests.js", "source"],
    ["src/Contests/Entry.cs", "source"],
    ["source/index.test-d.ts", "test"],
    ["source/index.ts", "source"],
    ["__performance_tests__/measure.js", "test"],
    ["src/__integration_tests__/a.ts", "test"],
    ["src/__generated_types__/a.ts", "source"],
    ["packages/runtime-test/src/nodeOps.ts", "source"],
    ["transforms/createSliceReducerBuilder/__testfixtures__/basic.output.js", "test"],
    ["mocha_test/asyncify.js", "test"],
    ["karma-tests/browser.js", "test"],
    ["werkzeug/testsuite/contrib/cache.py", "test"],
    ["packages/jest-test-result/src/index.ts", "source"],
    ["packages/types/src/index.ts", "source"],
    ["src/typings/index.ts", "source"],
    ["packages/test-utils/src/mount.ts", "source"],
    ["pkg/a_test.go", "test"],
    ["tests/test_server.py", "test"],
    ["src/test/java/com/acme/FooTest.java", "test"],
    ["spec/models/user_spec.rb", "test"],
    ["features/site_configuration.feature", "test"],
    ["changelog/2283.feature", "other"],
    ["doc/whatsnew/fragments/+orphan.feature", "other"],
    ["features/step_definitions/jekyll_steps.rb", "test"],
    ["testscripts/commands/hugo_build.txt", "test"],
    ["benches/search.rs", "test"],
    ["src/Composer/Test/InstallerTest.php", "test"],
    ["lib/LoaderTest.php", "test"],
    ["src/Composer/Installer.php", "source"],
    ["src/DirectoryListingTest.php", "test"],
    ["src/Ftp/FtpAdapterTestCase.php", "test"],
    ["src/test/java/junit/tests/framework/AllTests.java", "test"],
    ["src/integrationTest/java/com/acme/RepositoryIT.java", "test"],
    ["src/test/groovy/com/acme/ParserSpec.groovy", "test"],
    ["core/src/commonTest/kotlin/ParserSpec.kt", "test"],
    ["src/Framework/Test.php", "source"],
    ["src/Framework/TestCase.php", "source"],
    ["src/main/java/junit/framework/TestCase.java", "source"],
    ["src/main/java/junit/extensions/RepeatedTest.java", "source"],
    ["assertj-core/src/main/java/org/assertj/core/api/ProxifyMethodChangingTheObjectUnderTest.java", "source"],
    ["src/main/java/com/squareup/javapoet/TypeSpec.java", "source"],
    ["src/main/window.test.js", "test"],
    ["release-notes/VERSION-2.x", "changelog"],
    ["docs/releasenotes/3.0.md", "changelog"],
    [".changeset/brave-owls.md", "changelog"],
    ["lib/jekyll/features.rb", "source"],
    ["src/features/auth/login.ts", "source"],
    ["src/components/Button.stories.tsx", "test"],
    ["types/index.d.ts", "types"],
    ["pkg/mod.pyi", "types"],
    ["README.md", "docs"],
    ["docs/guide.md", "docs"],
    ["examples/demo.js", "docs"],
    ["package.json", "config"],
    [".eslintrc.js", "config"],
    ["karma.sauce.conf.js", "config"],
    ["vite.config.ts", "config"],
    ["package-lock.json", "lockfile"],
    ["yarn.lock", "lockfile"],
    ["go.sum", "lockfile"],
    ["CHANGELOG.md", "changelog"],
    ["node_modules/x/index.js", "vendored"],
    ["vendor/github.com/x/y.go", "vendored"],
    ["src/pip/_vendor/rich/console.py", "vendored"],
    ["botocore/vendored/six.py", "vendored"],
    ["dist/app.js", "generated"],
    ["api/foo.pb.go", "generated"],
    ["public/app.min.js", "minified"],
    ["assets/logo.png", "binary"],
  ])("%s is %s", (path, kind) => {
    expect(classifyPath(path)).toBe(kind);
  });

  it("drops generated, vendored, lockfile, changelog, minified and binary files; keeps tests down-weighted", () => {
    for (const kind of ["generated", "vendored", "lockfile", "changelog", "minified", "binary", "large"] as const) expect(KIND_WEIGHT[kind]).toBe(0);
    expect(KIND_WEIGHT.test).toBeGreaterThan(0);
    expect(KIND_WEIGHT.test).toBeLessThan(KIND_WEIGHT.source);
  });
});

describe("classifyContent", () => {
  it("finds binary, minified, generated and oversized files by content", () => {
    expect(classifyContent("source", Buffer.from([0x41, 0x00, 0x42]))).toBe("binary");
    expect(classifyContent("source", Buffer.from("var a=1;".repeat(400)))).toBe("minified");
    expect(classifyContent("source", Buffer.from("// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n"))).toBe("generated");
    const javadoc = '<!DOCTYPE HTML>\n<!-- NewPage -->\n<html lang="en">\n<head>\n<!-- Generated by javadoc (1.8.0_272) on Sat Nov 28 -->\n<title>ObjectMapper</title>\n';
    expect(classifyContent("docs", Buffer.from(javadoc))).toBe("generated");
    expect(classifyContent("docs", Buffer.from("<html><head>\n<title>Main Page</title>\n<!-- Generated by Doxygen 1.9.1 -->\n"))).toBe("generated");
    expect(classifyContent("docs", Buffer.from("# Guide\n\nThe javadoc of each class says what it does.\n"))).toBe("docs");
    expect(classifyContent("source", Buffer.from("export const x = 1\n"))).toBe("source");
  });

  // A library kept in one file is source up to what the model's editor accepts; data and docs stop earlier.
  const sized = (bytes: number) => Buffer.from("function f() {}\n".repeat(Math.ceil(bytes / 16))).subarray(0, bytes);
  it.each([
    ["source", MAX_FILE_BYTES + 1, "source"],
    ["source", MAX_SOURCE_BYTES, "source"],
    ["source", MAX_SOURCE_BYTES + 1, "large"],
    ["config", MAX_FILE_BYTES, "config"],
    ["config", MAX_FILE_BYTES + 1, "large"],
    ["docs", MAX_FILE_BYTES + 1, "large"],
    ["types", MAX_FILE_BYTES + 1, "large"],
  ] as const)("a %s file of %d bytes is %s", (kind, bytes, expected) => {
    expect(MAX_SOURCE_BYTES).toBeGreaterThan(MAX_FILE_BYTES);
    expect(classifyContent(kind, sized(bytes))).toBe(expected);
  });

  it.each([
    ["// This file is generated automatically by `scripts/build/typings.js`. Please, don't change it.\n", "generated"],
    ["/* This file was automatically generated from schema.json */\n", "generated"],
    ["// Auto-generated, edit the template instead\n", "generated"],
    ["/** Tokens generated by the lexer, one per lexeme. */\nexport type Token = string\n", "source"],
  ])("reads generator headers: %j", (header, kind) => {
    expect(classifyContent("source", Buffer.from(header))).toBe(kind);
  });

  it.each([
    ["#!/usr/bin/env node\nrequire('../lib/cli').run()\n", "source"],
    ["#!/usr/bin/python3\nimport sys\n", "source"],
    ["#!/bin/sh\nexec node \"$0.js\"\n", "source"],
    ["#!/usr/bin/env -S node --no-warnings\n", "source"],
    ["plain notes without an interpreter line\n", "other"],
    ["#!/usr/bin/env nodes-are-not-node\n", "other"],
  ])("calls a script without an extension source by its interpreter line: %j", (content, kind) => {
    expect(classifyContent("other", Buffer.from(content), "bin/lessc")).toBe(kind);
  });

  it("calls a file named test.js a test only when it is test code", () => {
    const spec = Buffer.from("import parse from '.'\n\ndescribe('parse', function () {\n  it('parses', function () {})\n})\n");
    const module = Buffer.from("var Runnable = require('./runnable')\nfunction Test(title, fn) {\n  Runnable.call(this, title, fn)\n}\nmodule.exports = Test\n");
    expect(classifyContent("source", spec, "src/parse/test.js")).toBe("test");
    expect(classifyContent("source", module, "lib/test.js")).toBe("source");
    expect(classifyContent("source", spec, "src/parse/index.js")).toBe("source");
    expect(isColocatedTest("src/parse/spec.ts", spec.toString())).toBe(true);
  });
});
