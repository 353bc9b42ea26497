import { DOC_PATTERNS } from "../file-facts.js";
import { firstMatchingPattern } from "../globs.js";
import { category, type RiskRule } from "./types.js";

export const docsRule: RiskRule = {
  id: "docs",
  description: "Documentation, translations and static assets: low.",
  evaluate(facts) {
    const row = firstMatchingPattern(facts.path, DOC_PATTERNS);
    return row ? [category("low", row.label)] : [];
  },
};
