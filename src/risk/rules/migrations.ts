import { firstMatchingPattern, type PathPattern } from "../globs.js";
import type { FileFacts } from "../file-facts.js";
import { addedLinesMatching, onLines } from "../scan.js";
import { category, escalator, hasAncestorFile, type RiskRule, type RuleFinding } from "./types.js";

/** Migration files by path, one row per framework convention (see docs/reference risk notes §1). */
export const MIGRATION_PATH_PATTERNS: readonly PathPattern[] = [
  { glob: "**/db/migrate/**/*.rb", label: "Rails migration under db/migrate/" },
  { glob: "**/db/*_migrate/**/*.rb", label: "Rails migration (multi-database migrate directory)" },
  { glob: "**/db/data/**/*.rb", label: "Rails data migration under db/data/" },
  { glob: "**/migrations/[0-9][0-9][0-9][0-9]_*.py", label: "Django migration" },
  { glob: "**/{alembic,migrations}/versions/**/*.py", label: "Alembic migration revision" },
  { glob: "**/{alembic,migrations}/{env.py,script.py.mako}", label: "Alembic migration environment (runs on every upgrade)" },
  { glob: "**/alembic.ini", label: "Alembic configuration" },
  { glob: "**/prisma/migrations/**", label: "Prisma migration" },
  { glob: "**/drizzle/**/*.sql", label: "Drizzle migration" },
  { glob: "**/drizzle/meta/_journal.json", label: "Drizzle migration journal" },
  { glob: "**/db/migration/**/*.{sql,java,kt}", label: "Flyway migration under db/migration/" },
  { glob: "**/[VU][0-9]*__*.sql", label: "Flyway versioned migration (V<version>__*.sql)" },
  { glob: "**/R__*.sql", label: "Flyway repeatable migration (R__*.sql)" },
  { glob: "**/db/changelog/**", label: "Liquibase changelog" },
  { glob: "**/*.{up,down}.sql", label: "golang-migrate migration (*.up.sql / *.down.sql)" },
  { glob: "**/Migrations/*.cs", label: "EF Core migration" },
  { glob: "**/database/migrations/**/*.php", label: "Laravel migration" },
  { glob: "**/priv/*/migrations/**/*.exs", label: "Ecto migration" },
  { glob: "**/hasura/migrations/**", label: "Hasura migration" },
  { glob: "**/supabase/migrations/**", label: "Supabase migration" },
  { glob: "**/db/migrations/**", label: "database migration under db/migrations/" },
  { glob: "**/migrations/**/*.{sql,js,ts,cjs,mjs,py,rb,go,php,java,kt,cs,rs,exs,json,yaml,yml,toml}", label: "file in a migrations/ directory" },
  { glob: "**/migration/src/m[0-9]*_*.rs", label: "SeaORM migration" },
  { glob: "**/{atlas.sum,atlas.hcl}", label: "Atlas migration directory integrity file / config" },
  { glob: "**/{sqitch.plan,sqitch.conf}", label: "sqitch migration plan" },
  { glob: "**/{flyway.conf,flyway.toml,liquibase.properties,dbmate.env}", label: "migration tool configuration" },
  { glob: "**/migrate/**/*[0-9][0-9][0-9][0-9]*.{sql,rb,py,js,ts,go}", label: "timestamped file under a migrate/ directory" },
];

/** Content markers of migration frameworks (checked on the whole new content: a migration stays one when edited). */
export const MIGRATION_CONTENT_MARKERS: readonly { re: RegExp; label: string }[] = [
  { re: /ActiveRecord::Migration\[/, label: "Rails migration (ActiveRecord::Migration)" },
  { re: /class\s+\w+\(\s*migrations\.Migration\s*\)/, label: "Django migration (migrations.Migration)" },
  { re: /^from alembic import op\b|^\s*(?:down_)?revision\s*(?::\s*[\w\[\], |]+)?\s*=\s*['"]/m, label: "Alembic migration (alembic op / revision id)" },
  { re: /implements\s+MigrationInterface\b/, label: "TypeORM migration (MigrationInterface)" },
  { re: /queryInterface\.(?:createTable|dropTable|addColumn|removeColumn|changeColumn|renameColumn|addIndex|removeIndex|addConstraint|bulkInsert|bulkUpdate|bulkDelete)\b/, label: "Sequelize migration (queryInterface)" },
  { re: /\bknex\.schema\.(?:createTable|alterTable|table|dropTable|renameTable|raw)\b/, label: "Knex migration (knex.schema)" },
  { re: /(?:exports\.up\s*=|export\s+(?:async\s+)?function\s+up\s*\(\s*knex)/, label: "Knex migration (exports.up)" },
  { re: /use\s+Ecto\.Migration\b/, label: "Ecto migration (use Ecto.Migration)" },
  { re: /^--\s*\+goose\s+(?:up|down)\b/im, label: "goose migration (-- +goose Up)" },
  { re: /\bgoose\.AddMigration/, label: "goose Go migration" },
  { re: /^--\s*migrate:(?:up|down)\b/m, label: "dbmate migration (-- migrate:up)" },
  { re: /^--\s*liquibase formatted sql/im, label: "Liquibase formatted SQL changelog" },
  { re: /<databaseChangeLog\b|^databaseChangeLog:/m, label: "Liquibase changelog" },
  { re: /-->\s*statement-breakpoint/, label: "Drizzle migration (statement-breakpoint)" },
  { re: /\bmigrationBuilder\.\w+\(/, label: "EF Core migration (MigrationBuilder)" },
  { re: /\bextends\s+(?:Migration|AbstractMigration)\b[\s\S]*\b(?:addSql|Schema::|function\s+up)\b/, label: "Laravel/Doctrine/MikroORM migration" },
  { re: /Schema::(?:create|table|drop|dropIfExists|rename)\s*\(/, label: "Laravel schema builder (Schema::…)" },
];

/** Switches that apply schema changes without any migration file. Added lines only. */
const SCHEMA_AUTO_SYNC: readonly { re: RegExp; label: string }[] = [
  { re: /\bsynchronize\s*:\s*true\b/, label: "TypeORM synchronize: true" },
  { re: /\.sync\(\s*\{\s*(?:alter|force)\s*:\s*true/, label: "Sequelize sync({ alter/force: true })" },
  { re: /\bprisma\s+db\s+push\b/, label: "prisma db push" },
  { re: /--accept-data-loss\b/, label: "--accept-data-loss" },
  { re: /\bdrizzle-kit\s+push\b/, label: "drizzle-kit push" },
  { re: /ddl-auto\s*[:=]\s*(?:update|create|create-drop)\b/, label: "Hibernate ddl-auto" },
  { re: /\.AutoMigrate\(/, label: "GORM AutoMigrate" },
  { re: /\bmetadata\.(?:create_all|drop_all)\(/, label: "SQLAlchemy metadata.create_all/drop_all" },
];

/** Commands that apply migrations, added to scripts or deploy files: they decide when migrations run. */
const MIGRATION_APPLY_COMMANDS =
  /\b(?:db:schema:load|db:migrate|migrate:fresh|migrate:reset|manage\.py\s+migrate|alembic\s+upgrade|prisma\s+migrate\s+(?:deploy|reset)|flyway\s+migrate|knex\s+migrate:latest|sequelize\s+db:migrate|mix\s+ecto\.migrate)\b/;

export function migrationLabels(facts: FileFacts, repoPaths: ReadonlySet<string>): string[] {
  const labels: string[] = [];
  for (const path of facts.allPaths) {
    const row = firstMatchingPattern(path, MIGRATION_PATH_PATTERNS);
    if (row) labels.push(row.label);
    // sqitch keeps change scripts in deploy/, revert/ and verify/ next to sqitch.plan.
    if (/(?:^|\/)(?:deploy|revert|verify)\/[^/]+\.sql$/.test(path) && hasAncestorFile(path, ["sqitch.plan"], repoPaths)) {
      labels.push("sqitch change script");
    }
  }
  // Content markers decide for files outside the usual folders, but not for tests or docs that mention them.
  if (!labels.length && !facts.isTestLike && !facts.isDoc && facts.content) {
    const marker = MIGRATION_CONTENT_MARKERS.find((m) => m.re.test(facts.content));
    if (marker) labels.push(marker.label);
  }
  return [...new Set(labels)];
}

function verbFor(facts: FileFacts): string {
  switch (facts.status) {
    case "added":
      return "new";
    case "deleted":
      return "deletes a";
    case "renamed":
      return "renames a";
    default:
      return "edits an existing";
  }
}

export const migrationsRule: RiskRule = {
  id: "migrations",
  description: "Database migrations: never executed, always critical.",
  evaluate(facts, context) {
    const findings: RuleFinding[] = [];
    const labels = migrationLabels(facts, context.repoPaths);
    if (labels.length) {
      const [first, ...rest] = labels;
      const edit = facts.status === "modified" ? " (editing an already-applied migration breaks checksums and replays)" : "";
      findings.push(
        category("critical", `${first}: ${verbFor(facts)} migration${edit}`, { locked: true, tags: ["migration"] }),
      );
      for (const label of rest) findings.push(category("critical", label, { locked: true, tags: ["migration"] }));
    }
    if (!facts.isTestLike && !facts.isDoc) {
      for (const { re, label } of SCHEMA_AUTO_SYNC) {
        const lines = addedLinesMatching(facts, re);
        if (lines.length) {
          findings.push(
            escalator("critical", `applies schema changes outside a reviewed migration: ${label}${onLines(lines)}`, {
              locked: true,
            }),
          );
        }
      }
      const applies = labels.length ? [] : addedLinesMatching(facts, MIGRATION_APPLY_COMMANDS);
      if (applies.length) {
        findings.push(escalator("high", `adds a command that applies database migrations${onLines(applies)}`));
      }
    }
    return findings;
  },
};
