export type { TestFailure, TestFramework, TestReport } from "./types.js";
export { parseTestOutput, type ParseTestOutputOptions } from "./parse-test-output.js";
export { selectParser, testOutputParsers, type ParseContext, type ParsedTestOutput, type TestOutputParser } from "./parsers/index.js";
export {
  compareWithBaseline,
  failureKey,
  isCompleteRun,
  isParsedReport,
  type BaselineComparison,
  type BaselineVerdict,
} from "./compare-with-baseline.js";
export { renderFailureReport, estimateTokens, type RenderFailureReportOptions } from "./render-failure-report.js";
export { failureSignature, normaliseForSignature } from "./failure-signature.js";
export {
  detectTestTampering,
  blockingFindings,
  taskAllowsTestChanges,
  narrowedTestCommand,
  isTestFile,
  isTestConfigFile,
  isSnapshotFile,
  TAMPER_KINDS,
  type DetectTamperingInput,
  type TamperFinding,
  type TamperKind,
} from "./tamper-guard.js";
