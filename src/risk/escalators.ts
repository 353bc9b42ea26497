import type { FileFacts } from "./file-facts.js";
import { category, escalator, type RuleFinding } from "./rules/types.js";

/** A file while it is being classified: its facts and every finding so far. */
export interface FileDraft {
  facts: FileFacts;
  findings: RuleFinding[];
}

/** A rule that needs the whole change set (e.g. "a schema change, but no migration anywhere"). */
export interface ChangeSetEscalator {
  id: string;
  description: string;
  apply(files: readonly FileDraft[]): { path: string; finding: RuleFinding }[];
}

const hasTag = (file: FileDraft, tag: string) => file.findings.some((f) => f.tags?.includes(tag as never));

export const schemaWithoutMigration: ChangeSetEscalator = {
  id: "schema-without-migration",
  description: "A schema or ORM model change needs a migration in the same change; without one it is critical.",
  apply(files) {
    const migrations = files.filter((f) => hasTag(f, "migration")).map((f) => f.facts.path);
    const schemaFiles = files.filter((f) => hasTag(f, "schema-change") || hasTag(f, "schema-state"));
    return schemaFiles
      .filter((f) => !hasTag(f, "migration"))
      .map((f) => ({
        path: f.facts.path,
        finding: migrations.length
          ? category("medium", `schema change accompanied by migration ${migrations[0]}${migrations.length > 1 ? ` (+${migrations.length - 1})` : ""}`)
          : escalator("critical", "schema change without a migration: no migration file in this change", { locked: true }),
      }));
  },
};

export const migrationMixedWithCode: ChangeSetEscalator = {
  id: "migration-mixed-with-code",
  description: "Migrations mixed with application code deploy together; recommend splitting them.",
  apply(files) {
    const migrations = files.filter((f) => hasTag(f, "migration"));
    const code = files.filter((f) => !hasTag(f, "migration") && !hasTag(f, "schema-state") && f.facts.isCode && !f.facts.isTestLike);
    if (!migrations.length || !code.length) return [];
    return migrations.map((f) => ({
      path: f.facts.path,
      finding: category("critical", `shipped together with ${code.length} application code file${code.length > 1 ? "s" : ""}: consider an isolated migration PR`, { locked: true }),
    }));
  },
};

export const CHANGE_SET_ESCALATORS: readonly ChangeSetEscalator[] = [schemaWithoutMigration, migrationMixedWithCode];
