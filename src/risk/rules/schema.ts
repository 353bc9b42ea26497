import { firstMatchingPattern, type PathPattern } from "../globs.js";
import type { FileFacts, NumberedLine } from "../file-facts.js";
import { describeLines, onLines } from "../scan.js";
import { findDdlInCode, findDdlInSqlFile } from "../sql.js";
import { category, escalator, type RiskRule, type RuleFinding } from "./types.js";

/** Files that hold the database schema's state: changing one is a schema change. */
export const SCHEMA_STATE_PATTERNS: readonly PathPattern[] = [
  { glob: "**/db/schema.rb", label: "Rails schema (db/schema.rb)" },
  { glob: "**/db/*_schema.rb", label: "Rails schema (db/*_schema.rb)" },
  { glob: "**/db/structure.sql", label: "Rails SQL schema (db/structure.sql)" },
  { glob: "**/*.prisma", label: "Prisma schema" },
  { glob: "**/*ModelSnapshot.cs", label: "EF Core model snapshot" },
  { glob: "**/drizzle/meta/*_snapshot.json", label: "Drizzle schema snapshot" },
  { glob: "**/.snapshot-*.json", label: "MikroORM schema snapshot" },
  { glob: "**/database/schema/*-schema.sql", label: "Laravel schema dump" },
  { glob: "**/{schema,structure}.sql", label: "SQL schema file" },
  { glob: "**/schema.hcl", label: "Atlas schema (schema.hcl)" },
  { glob: "**/priv/resource_snapshots/**", label: "Ash resource snapshot" },
];

/** ORM model definitions: which files declare tables, and which changed lines alter columns. */
const ORM_MODELS: readonly { name: string; file: RegExp; field: RegExp }[] = [
  {
    name: "Django model",
    file: /\bmodels\.Model\b/,
    field: /\bmodels\.\w*(?:Field|ForeignKey|OneToOneField|ManyToManyField)\(|\b(?:db_table|unique_together|index_together|indexes|constraints)\s*=/,
  },
  {
    name: "SQLAlchemy/SQLModel model",
    file: /\btable\s*=\s*True\b|__tablename__|declarative_base\(|DeclarativeBase\b|\bdb\.Model\b/,
    field: /\b(?:Column|mapped_column|relationship|Relationship|ForeignKey)\(|^\s+[a-z_]\w*\s*:\s*[^=()]+?(?:=\s*(?:Field|Column|mapped_column)\(.*)?$|__tablename__|__table_args__/,
  },
  {
    name: "TypeORM entity",
    file: /@Entity\(/,
    field: /@(?:Column|PrimaryGeneratedColumn|PrimaryColumn|ManyToOne|OneToMany|ManyToMany|OneToOne|JoinColumn|JoinTable|Index|Unique|CreateDateColumn|UpdateDateColumn|DeleteDateColumn|Entity)\(/,
  },
  {
    name: "JPA entity",
    file: /@Entity\b/,
    field: /@(?:Column|Id|Table|ManyToOne|OneToMany|ManyToMany|OneToOne|JoinColumn|JoinTable|Enumerated|Lob|Embedded)\b/,
  },
  {
    name: "Sequelize model",
    file: /\bsequelize\.define\(|\.init\(\s*\{[\s\S]*DataTypes\./,
    field: /\bDataTypes\.\w+|\btype\s*:\s*(?:Sequelize|DataTypes)\./,
  },
  {
    name: "Drizzle table",
    file: /\b(?:pgTable|mysqlTable|sqliteTable)\(/,
    field: /\b(?:pgTable|mysqlTable|sqliteTable)\(|\b(?:text|integer|serial|bigserial|varchar|boolean|timestamp|uuid|jsonb?|bigint|real|numeric|date|smallint|doublePrecision|pgEnum)\(/,
  },
  { name: "Ecto schema", file: /^\s*schema\s+"\w+"\s+do/m, field: /^\s*(?:field|belongs_to|has_many|has_one|many_to_many|timestamps)\b/ },
  { name: "GORM model", file: /\bgorm\.Model\b|`[^`]*gorm:"/, field: /gorm:"|^\s+[A-Z]\w*\s+[\w.*[\]]+\s*(?:`|$)/ },
  { name: "EF Core DbContext", file: /:\s*DbContext\b/, field: /\bDbSet<|\.Has(?:Key|Index|One|Many)\(|\.Property\(/ },
];

function schemaChangeLines(facts: FileFacts, field: RegExp): NumberedLine[] {
  return [...facts.added, ...facts.removed].filter((l) => field.test(l.text));
}

/**
 * SQLModel/SQLAlchemy files mix table classes with plain API schemas. A changed line counts as a schema
 * change when it sits in a table class or in a class a table class inherits from (its fields become
 * columns). Removed lines have no class in the new content, so they count whenever they match.
 */
function pythonTableClassLines(facts: FileFacts, lines: NumberedLine[]): NumberedLine[] {
  const content = facts.content.split(/\r?\n/);
  const classes = new Map<string, { bases: string[]; table: boolean }>();
  const header = /^class\s+(\w+)\s*\(([^)]*)\)/;
  for (const text of content) {
    const m = header.exec(text);
    if (m) classes.set(m[1], { bases: m[2].split(",").map((b) => b.trim().split(/[\s=]/)[0]), table: /table\s*=\s*True|\b(?:Base|db\.Model|DeclarativeBase)\b/.test(m[2]) });
  }
  const tableRelated = new Set<string>();
  const visit = (name: string) => {
    if (tableRelated.has(name)) return;
    tableRelated.add(name);
    for (const base of classes.get(name)?.bases ?? []) if (classes.has(base)) visit(base);
  };
  for (const [name, info] of classes) if (info.table) visit(name);
  const addedSet = new Set(facts.added);
  return lines.filter((l) => {
    if (!addedSet.has(l)) return true;
    for (let i = l.line - 1; i >= 0; i--) {
      const m = header.exec(content[i] ?? "");
      if (m) return tableRelated.has(m[1]);
      if (/^\S/.test(content[i] ?? "") && i !== l.line - 1) return false;
    }
    return false;
  });
}

export const schemaRule: RiskRule = {
  id: "schema",
  description: "Schema files, DDL and ORM model definitions.",
  evaluate(facts) {
    const findings: RuleFinding[] = [];
    for (const path of facts.allPaths) {
      const row = firstMatchingPattern(path, SCHEMA_STATE_PATTERNS);
      if (row) {
        findings.push(category("critical", `${row.label}: schema file changed`, { locked: true, tags: ["schema-state"] }));
        break;
      }
    }
    if (facts.isTestLike || facts.isDoc) return findings;
    // A deleted model file has no new content: recognise it by the lines it removes.
    const modelText = facts.status === "deleted" ? facts.removed.map((l) => l.text).join("\n") : facts.content;
    if (!modelText) return findings;

    if (facts.ext === ".sql") {
      // dbt models (Jinja) are data transformations; their DDL is generated by dbt, not written here.
      const dbt = /\{\{\s*(?:ref|source|config)\s*\(/.test(facts.content);
      const ddl = dbt ? [] : findDdlInSqlFile(facts);
      if (ddl.length) {
        const kinds = [...new Set(ddl.map((d) => d.text.replace(/\s+/g, " ")))].slice(0, 3).join(", ");
        findings.push(
          category("critical", `DDL in SQL file (${kinds}) on ${describeLines(ddl.map((d) => d.line))}`, {
            locked: true,
            tags: ["schema-change"],
          }),
        );
      }
    } else if (facts.isCode || facts.status === "deleted") {
      const ddl = findDdlInCode(facts);
      if (ddl.length) {
        findings.push(
          escalator("critical", `DDL in application code (${ddl[0].text})${onLines(ddl)}: a schema change outside a migration`, {
            locked: true,
            tags: ["schema-change"],
          }),
        );
      }
      for (const model of ORM_MODELS) {
        if (!model.file.test(modelText)) continue;
        let changed = schemaChangeLines(facts, model.field);
        if (model.name.startsWith("SQLAlchemy") && facts.ext === ".py" && facts.content) changed = pythonTableClassLines(facts, changed);
        if (changed.length) {
          findings.push(
            category("medium", `${model.name}: column/table definitions change${onLines(changed)}`, { tags: ["schema-change"] }),
          );
        } else {
          findings.push(category("medium", `${model.name} (database model)`));
        }
        break;
      }
    }
    return findings;
  },
};
