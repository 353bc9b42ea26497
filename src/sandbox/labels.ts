/** Labels on every container this app creates; the sweeper finds leftovers by them. */
export const LABEL_SANDBOX = "codegen.sandbox";
export const LABEL_JOB = "codegen.job";
export const LABEL_CREATED = "codegen.created";
/** On a prepared dependency image: where its install artefacts live, copied into /workspace at start. */
export const LABEL_DEPS_DIR = "codegen.deps-dir";
export const LABEL_DEPS_KEY = "codegen.deps-key";
/** On a prepared dependency image: the id of the base image it was built from. */
export const LABEL_DEPS_BASE = "codegen.deps-base";

export const WORKSPACE = "/workspace";
export const DEPS_DIR = "/opt/codegen-deps";
/** Numeric, so it works in any image whether or not /etc/passwd knows it. */
export const SANDBOX_USER = "10001:10001";
export const SANDBOX_UID = 10001;

export function jobLabels(jobId: string, now = Date.now()): Record<string, string> {
  return { [LABEL_SANDBOX]: "1", [LABEL_JOB]: jobId, [LABEL_CREATED]: String(now) };
}
