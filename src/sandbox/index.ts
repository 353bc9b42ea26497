/** The sandbox stage: hardened containers for untrusted code, and the gate for what comes back. */
export * from "./types.js";
export { DockerSandboxProvider, runtimeFromEnvironment, type DockerSandboxProviderOptions } from "./docker-sandbox-provider.js";
export { DockerSandbox } from "./docker-sandbox.js";
export { HardenedContainer, BASE_SANDBOX_ENV, type HardenedContainerSpec } from "./hardened-container.js";
export { DependencyInstallError } from "./errors.js";
export { resolveLimits, assertSandboxEnv } from "./limits.js";
export { describeCommandResult, formatBytes, formatDuration } from "./describe-result.js";
export { dependencyCacheKey, isDependencyManifest, dependencyManifestPaths, touchesDependencyManifest } from "./dependency-cache.js";
export {
  validatePatch,
  decodeGitQuotedName,
  PatchPolicyError,
  defaultPatchPolicy,
  type PatchPolicy,
  type PatchFile,
  type PatchFileStatus,
  type PatchViolation,
} from "./patch-policy.js";
export { sweepSandboxContainers, startPeriodicSweep } from "./sweep.js";
export { tarFromFiles, normalizeWorkspaceTar, mergeWorkspaceLayers, type FileToTar, type WorkspaceLayer } from "./workspace-tar.js";
export { LABEL_SANDBOX, LABEL_JOB, LABEL_CREATED, SANDBOX_USER } from "./labels.js";
