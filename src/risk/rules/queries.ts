import { firstMatchingPattern, type PathPattern } from "../globs.js";
import { onLines } from "../scan.js";
import { findSqlInterpolation, findWholeTableOrmCalls, findWholeTableSql } from "../sql.js";
import { category, escalator, hasAncestorFile, type RiskRule, type RuleFinding } from "./types.js";

export const QUERY_PATH_PATTERNS: readonly PathPattern[] = [
  { glob: "**/{repository,repositories,repo,repos,dao,daos,queries,query,persistence}/**/*.{js,ts,mjs,cjs,py,rb,go,java,kt,cs,php,ex,rs}", label: "data-access module" },
  { glob: "**/*{Repository,Dao,DAO,Mapper}.{java,kt,cs}", label: "data-access class (Repository/DAO)" },
  { glob: "**/*{.repository,.repo,.dao,_repository,_dao,-repository,.queries,_queries,-queries}.{js,ts,py,rb,go}", label: "data-access module" },
  { glob: "**/{crud,dao,queries,repository,repositories}.py", label: "data-access module" },
  { glob: "**/*Mapper.xml", label: "MyBatis SQL mapper" },
  { glob: "**/{seeds,seeders}/**", label: "database seed data" },
  { glob: "**/{seeds.rb,seed.sql,seed.ts,seed.js,seed.py}", label: "database seed script" },
];

/** Raw SQL or ORM query calls (risk notes §4.2). */
const QUERY_CONTENT: readonly { re: RegExp; label: string; exts?: readonly string[] }[] = [
  { re: /\b(?:SELECT\s+[\w*"`.(][\s\S]{0,200}?\bFROM\b|INSERT\s+INTO\b|UPDATE\s+[\w."`]+\s+SET\b|DELETE\s+FROM\b)/, label: "raw SQL" },
  { re: /\$(?:queryRaw|executeRaw)(?:Unsafe)?\b|\bPrisma\.sql\b|\bsql`/, label: "raw SQL (tagged template)" },
  { re: /\b(?:knex\.raw|sequelize\.query|queryRunner\.query|pool\.query|client\.query|db\.execute|conn(?:ection)?\.execute|cursor\.execute|session\.execute|\.objects\.raw|find_by_sql|exec_query|connection\.execute|createNativeQuery|FromSqlRaw|ExecuteSqlRaw|DB::(?:select|statement|raw|insert|update|delete)|->whereRaw)\s*\(/, label: "raw SQL call" },
  { re: /\bdb\.(?:Query|QueryRow|Exec|QueryContext|ExecContext|QueryRowContext)\(|\bsqlx\.(?:Select|Get)\(/, label: "Go database/sql query", exts: [".go"] },
  { re: /\bprisma\.\w+\.(?:findMany|findUnique|findFirst|create|createMany|update|updateMany|upsert|delete|deleteMany|aggregate|groupBy|count)\(/, label: "Prisma query" },
  { re: /\.objects\.(?:filter|get|create|update|delete|exclude|bulk_create|bulk_update|select_for_update|annotate|aggregate|get_or_create|update_or_create|all)\(/, label: "Django ORM query", exts: [".py"] },
  { re: /\bsession\.(?:query|add|delete|merge|scalars?|exec)\(|\bselect\(\s*[A-Z]\w*/, label: "SQLAlchemy query", exts: [".py"] },
  { re: /\.createQueryBuilder\(|\bgetRepository\(|@InjectRepository\(|\.(?:findOneBy|findBy|findAndCount)\(/, label: "TypeORM query" },
  { re: /\b[A-Z]\w*\.(?:findAll|findOne|findByPk|bulkCreate|findOrCreate|destroy)\(/, label: "Sequelize query" },
  { re: /\bdb\.(?:select|insert|update|delete)\(|\.from\(\s*\w+Table\b/, label: "Drizzle query" },
  { re: /\b[A-Z]\w*\.(?:where|find_by|find_each|find_or_create_by|pluck|joins|includes|order|create!?|update!?|upsert_all|insert_all)\b/, label: "ActiveRecord query", exts: [".rb"] },
  { re: /\bRepo\.(?:all|one|get|get_by|insert|update|delete|insert_all|update_all|delete_all|transaction)\b/, label: "Ecto query", exts: [".ex", ".exs"] },
  { re: /\.collection\(|\b\w+\.(?:insertOne|insertMany|updateOne|updateMany|deleteOne|deleteMany|aggregate|bulkWrite|findOneAndUpdate)\(/, label: "MongoDB query" },
  { re: /@Query\s*\(|\bJdbcTemplate\b|\bjdbcTemplate\.\w+\(/, label: "JPA/JDBC query", exts: [".java", ".kt"] },
  { re: /\bDB::table\(|::where\(|->where\(/, label: "Laravel query builder", exts: [".php"] },
];

export const queriesRule: RiskRule = {
  id: "queries",
  description: "Database queries: shown for EXPLAIN review, never run against a real database.",
  evaluate(facts, context) {
    const findings: RuleFinding[] = [];
    if (facts.isTestLike || facts.isDoc) return findings;
    // dbt seeds are warehouse inputs of a transformation project, not application seed data.
    const dbt = hasAncestorFile(facts.path, ["dbt_project.yml"], context.repoPaths);
    const row = dbt ? undefined : firstMatchingPattern(facts.path, QUERY_PATH_PATTERNS);
    if (row) findings.push(category("medium", row.label));
    const sqlFile = facts.ext === ".sql";
    if (sqlFile && /^--\s*name:\s*\w+\s+:(?:one|many|exec\w*|copyfrom|batch\w*)/m.test(facts.content)) {
      findings.push(category("medium", "sqlc query file"));
    }
    if (!facts.isCode || !facts.content) return findings;
    if (!sqlFile) {
      const marker = QUERY_CONTENT.find((m) => (!m.exts || m.exts.includes(facts.ext)) && m.re.test(facts.content));
      if (marker) findings.push(category("medium", `${marker.label} in ${facts.basename}`));
    }
    const wholeTable = [...findWholeTableSql(facts, sqlFile), ...(sqlFile ? [] : findWholeTableOrmCalls(facts))];
    if (wholeTable.length) {
      findings.push(escalator("high", `whole-table write: ${wholeTable[0].text}${onLines(wholeTable.map((w) => w.line))}`));
    }
    if (!sqlFile) {
      const interpolated = findSqlInterpolation(facts);
      if (interpolated.length) {
        findings.push(
          escalator("medium", `possible SQL injection: SQL built by ${interpolated[0].text}${onLines(interpolated.map((i) => i.line))}`),
        );
      }
    }
    return findings;
  },
};
