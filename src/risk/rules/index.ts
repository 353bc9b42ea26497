import { apiRule } from "./api.js";
import { ciRule } from "./ci.js";
import { dataRule } from "./data.js";
import { dependenciesRule } from "./dependencies.js";
import { docsRule } from "./docs.js";
import { infrastructureRule } from "./infrastructure.js";
import { migrationsRule } from "./migrations.js";
import { queriesRule } from "./queries.js";
import { repoConfigRule } from "./repo-config.js";
import { schemaRule } from "./schema.js";
import { testsRule } from "./tests.js";
import type { RiskRule } from "./types.js";

/** The registry of per-file rules. Every rule runs on every file; the file's tier combines their findings. */
export const RISK_RULES: readonly RiskRule[] = [
  migrationsRule,
  schemaRule,
  infrastructureRule,
  ciRule,
  apiRule,
  queriesRule,
  dataRule,
  testsRule,
  docsRule,
  dependenciesRule,
  repoConfigRule,
];

export type { FileTag, RiskCategory, RiskRule, RuleContext, RuleFinding } from "./types.js";
