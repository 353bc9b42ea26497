import { classifyChanges } from "../../src/risk/classify.js";
import type { ChangedFile, Tier } from "../../src/risk/types.js";
import { added, config, deleted, edited, fixtureFile, modified } from "./helpers.js";

interface Case {
  name: string;
  files: ChangedFile[];
  tier: Tier;
  /** A reason of the first file must match this. */
  reason: RegExp;
}

const perFile: Case[] = [
  // critical: migrations, per ecosystem
  { name: "Rails migration", files: [fixtureFile("db/migrate/20240512093000_add_published_at_to_posts.rb")], tier: "critical", reason: /Rails migration under db\/migrate\// },
  { name: "Django migration", files: [fixtureFile("app/blog/migrations/0004_post_slug.py")], tier: "critical", reason: /Django migration/ },
  { name: "Alembic revision", files: [fixtureFile("backend/app/alembic/versions/9f1c2d3e4b5a_add_created_at.py")], tier: "critical", reason: /Alembic migration revision/ },
  { name: "Prisma migration.sql", files: [fixtureFile("prisma/migrations/20240101120000_add_posts/migration.sql")], tier: "critical", reason: /Prisma migration/ },
  { name: "Flyway V__ script", files: [fixtureFile("src/main/resources/db/migration/V2__add_tags.sql")], tier: "critical", reason: /Flyway/ },
  { name: "Laravel migration", files: [fixtureFile("database/migrations/2024_05_01_000000_add_votes_to_users_table.php")], tier: "critical", reason: /Laravel migration/ },
  { name: "Ecto migration", files: [fixtureFile("priv/repo/migrations/20240101000000_create_devices.exs")], tier: "critical", reason: /Ecto migration/ },
  { name: "golang-migrate up.sql", files: [added("db/000003_add_index.up.sql", "CREATE INDEX idx ON t (c);\n")], tier: "critical", reason: /golang-migrate/ },
  { name: "TypeORM migration outside migrations/ by content", files: [added("src/db/1700000000000-AddEmail.ts", "export class AddEmail1700000000000 implements MigrationInterface {\n  async up(q: QueryRunner) {}\n}\n")], tier: "critical", reason: /TypeORM migration/ },
  { name: "goose annotations in any .sql", files: [added("sql/20240101_add.sql", "-- +goose Up\nALTER TABLE users ADD COLUMN age int;\n")], tier: "critical", reason: /goose migration/ },
  { name: "deleting a migration", files: [deleted("db/migrate/20200101000000_create_users.rb")], tier: "critical", reason: /deletes a migration/ },
  { name: "editing an applied migration", files: [modified("db/migrate/20200101000000_create_users.rb", ["    t.string :email, null: false"], ["    t.string :email"])], tier: "critical", reason: /editing an already-applied migration/ },
  { name: "migration renamed away from migrations/", files: [{ path: "old/create_users.rb", previousPath: "db/migrate/20200101000000_create_users.rb", status: "renamed", content: "class X; end\n" }], tier: "critical", reason: /Rails migration/ },
  // critical: schema files and DDL
  { name: "Rails schema.rb", files: [modified("db/schema.rb", ['  create_table "posts" do |t|'])], tier: "critical", reason: /Rails schema/ },
  { name: "schema.prisma", files: [modified("prisma/schema.prisma", ["  email String @unique"])], tier: "critical", reason: /Prisma schema/ },
  { name: "DDL in a plain .sql file", files: [added("scripts/fix.sql", "-- cleanup\nALTER TABLE orders DROP COLUMN legacy;\n")], tier: "critical", reason: /DDL in SQL file \(ALTER TABLE\) on line 2/ },
  { name: "DDL in application code", files: [modified("app/boot.py", ['    cursor.execute("CREATE TABLE IF NOT EXISTS audit (id int)")'])], tier: "critical", reason: /DDL in application code/ },
  { name: "TypeORM synchronize: true", files: [modified("src/data-source.ts", ["  synchronize: true,"])], tier: "critical", reason: /TypeORM synchronize: true on line 1/ },
  { name: "codegen's own config", files: [modified(".github/codegen.yml", ["auto_merge: true"])], tier: "critical", reason: /codegen's own policy file/ },
  // high: infrastructure and CI
  { name: "Terraform", files: [fixtureFile("infra/modules/vpc/main.tf")], tier: "high", reason: /Terraform configuration/ },
  { name: "Kubernetes Deployment", files: [fixtureFile("deploy/k8s/api-deployment.yaml")], tier: "high", reason: /Kubernetes|deployment manifest/ },
  { name: "Kubernetes manifest anywhere, by content", files: [added("ops/api.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")], tier: "high", reason: /Kubernetes manifest \(kind: ConfigMap\)/ },
  { name: "Helm template under Chart.yaml", files: [fixtureFile("charts/web/templates/service.yaml")], tier: "high", reason: /Helm chart/ },
  { name: "Dockerfile", files: [modified("backend/Dockerfile", ["FROM python:3.12-slim"])], tier: "high", reason: /Dockerfile/ },
  { name: "Docker Compose", files: [modified("compose.override.yml", ["    ports: ['8000:8000']"])], tier: "high", reason: /Docker Compose/ },
  { name: "GitHub Actions workflow with pull_request_target", files: [modified(".github/workflows/ci.yml", ["on: pull_request_target"])], tier: "high", reason: /GitHub Actions workflow/ },
  { name: "GitLab CI", files: [modified(".gitlab-ci.yml", ["test:", "  script: make test"])], tier: "high", reason: /GitLab CI/ },
  { name: "CODEOWNERS", files: [modified(".github/CODEOWNERS", ["* @org/core"])], tier: "high", reason: /CODEOWNERS/ },
  { name: "whole-table DELETE in code", files: [added("scripts/cleanup.py", 'import db\n\ndb.execute("DELETE FROM sessions")\n')], tier: "high", reason: /DELETE without WHERE \(table sessions\) on line 3/ },
  { name: "UPDATE without WHERE across lines", files: [added("src/jobs/reset.ts", "await pool.query(`\n  UPDATE users\n  SET active = false\n`);\n")], tier: "high", reason: /UPDATE without WHERE \(table users\) on line 2/ },
  { name: "ActiveRecord delete_all on a model", files: [modified("app/services/purge.rb", ["    Session.delete_all"])], tier: "high", reason: /ActiveRecord delete_all/ },
  { name: "dependency from a git URL", files: [edited("package.json", ["{", '  "dependencies": {', '    "left-pad": "github:someone/left-pad#main",', '    "react": "^19.0.0"', "  }", "}"], [3])], tier: "high", reason: /adds dependency left-pad from outside the package registry \(github:someone\/left-pad#main\) on line 3/ },
  // medium: endpoints, queries, unknown code
  { name: "Express route", files: [fixtureFile("src/routes/articles.js")], tier: "medium", reason: /API module|Express/ },
  { name: "FastAPI route", files: [fixtureFile("backend/app/api/routes/items.py")], tier: "medium", reason: /API|route/ },
  { name: "Next.js route handler", files: [fixtureFile("app/api/users/route.ts")], tier: "medium", reason: /Next\.js route handler/ },
  { name: "Rails controller", files: [modified("app/controllers/posts_controller.rb", ["  def show; end"])], tier: "medium", reason: /Rails controller/ },
  { name: "Django urls.py", files: [modified("shop/urls.py", ['    path("cart/", views.cart),'])], tier: "medium", reason: /urls\.py/ },
  { name: "raw SQL query in code", files: [modified("lib/report.go", ['\trows, err := db.Query("SELECT id FROM orders WHERE paid = $1", true)'])], tier: "medium", reason: /Go database\/sql query|raw SQL/ },
  { name: "SQL built by interpolation", files: [modified("app/search.py", ['    cursor.execute(f"SELECT * FROM items WHERE name = \'{q}\'")'])], tier: "medium", reason: /possible SQL injection: SQL built by Python f-string on line 1/ },
  { name: "tagged sql`` template is not interpolation", files: [modified("src/q.ts", ["const r = await sql`SELECT * FROM users WHERE id = ${id}`;"])], tier: "medium", reason: /raw SQL/ },
  { name: "unknown source code is medium, not low", files: [added("src/utils/format-date.ts", "export const f = (d: Date) => d.toISOString();\n")], tier: "medium", reason: /unrecognised source code \(\.ts file\)/ },
  { name: "unknown non-code file is medium", files: [added("config/settings.toml", "x = 1\n")], tier: "medium", reason: /unrecognised \.toml file/ },
  { name: "new npm dependency escalates a manifest", files: [edited("package.json", ["{", '  "dependencies": {', '    "react": "^19.0.0",', '    "zod": "^4.0.0"', "  }", "}"], [4])], tier: "medium", reason: /adds dependency zod on line 4/ },
  { name: "new Python dependency in pyproject.toml", files: [edited("pyproject.toml", ["[project]", 'name = "app"', "dependencies = [", '  "fastapi>=0.110",', '  "httpx>=0.27",', "]"], [5])], tier: "medium", reason: /adds dependency httpx on line 5/ },
  { name: "npm install script", files: [edited("package.json", ["{", '  "scripts": {', '    "postinstall": "node setup.js"', "  }", "}"], [3])], tier: "high", reason: /install-time script/ },
  { name: "version bump is not a new dependency", files: [modified("requirements.txt", ["django==5.0.6"], ["django==4.2.10"])], tier: "medium", reason: /^pip requirements$/ },
  { name: "lockfile", files: [modified("uv.lock", ['version = "2.33.0"'], ['version = "2.32.5"'])], tier: "medium", reason: /Python lockfile changed/ },
  { name: "Django model field without a migration is critical", files: [modified("app/shop/models.py", ["    sku = models.CharField(max_length=64, unique=True)"], [], ["from django.db import models", "class Product(models.Model):"])], tier: "critical", reason: /schema change without a migration/ },
  { name: "Django model method only stays medium", files: [modified("app/shop/models.py", ["        return self.name.title()"], ["        return self.name"], ["from django.db import models", "class Product(models.Model):", "    def __str__(self):"])], tier: "medium", reason: /Django model \(database model\)/ },
  // low-medium: data transformations
  { name: "dbt model", files: [fixtureFile("models/staging/stg_orders.sql")], tier: "low-medium", reason: /dbt model/ },
  { name: "serializer module", files: [added("app/serializers/order_serializer.rb", "class OrderSerializer\n  def as_json; end\nend\n")], tier: "low-medium", reason: /data transformation module/ },
  { name: "pandas transformation", files: [added("etl/clean_orders.py", "import pandas as pd\n\ndef clean(df):\n    return df.dropna()\n")], tier: "low-medium", reason: /data transformation module/ },
  { name: "transformation that calls the network is medium", files: [added("etl/push.py", "import pandas as pd\nimport requests\nrequests.post(URL, json=rows)\n")], tier: "medium", reason: /network or file I\/O on line 3/ },
  // low: tests, fixtures, docs
  { name: "Jest test", files: [fixtureFile("src/__tests__/slugify.test.ts")], tier: "low", reason: /test under __tests__/ },
  { name: "pytest test", files: [fixtureFile("tests/api/test_items.py")], tier: "low", reason: /pytest test module/ },
  { name: "RSpec spec", files: [fixtureFile("spec/models/post_spec.rb")], tier: "low", reason: /RSpec spec/ },
  { name: "Go test", files: [added("pkg/x/x_test.go", "package x\nfunc TestX(t *testing.T) {}\n")], tier: "low", reason: /Go test file/ },
  { name: "test fixture JSON", files: [added("test/fixtures/users.json", "[]\n")], tier: "low", reason: /test/ },
  { name: "README", files: [modified("README.md", ["## Install"])], tier: "low", reason: /Markdown documentation/ },
  { name: "translations", files: [modified("config/locales/en.yml", ["  hello: Hello"])], tier: "low", reason: /translation strings/ },
  { name: "Express-style calls inside a test stay low", files: [added("src/routes/__tests__/articles.test.ts", "app.get('/x', handler);\nawait prisma.user.findMany();\n")], tier: "low", reason: /test/ },
  // test weakening escalates to medium
  { name: "added it.skip", files: [modified("src/a.test.ts", ["it.skip('works', () => {});"])], tier: "medium", reason: /weakens tests: skips tests \(\.skip\/xit\) on line 1/ },
  { name: "added @pytest.mark.skip", files: [modified("tests/test_a.py", ["@pytest.mark.skip(reason='flaky')"])], tier: "medium", reason: /skips Python tests/ },
  { name: "removed assertions", files: [modified("tests/test_b.py", ["    pass"], ["    assert a == 1", "    assert b == 2", "    assert c == 3"])], tier: "medium", reason: /removes 3 more assertions than it adds/ },
  { name: "deleted test file", files: [deleted("src/__tests__/old.test.ts")], tier: "medium", reason: /deletes a test file/ },
];

describe("classifyChanges: one file per ecosystem and tier", () => {
  test.each(perFile)("$name → $tier", ({ files, tier, reason }) => {
    const result = classifyChanges(files, config());
    expect(result.files[0].reasons.join("\n")).toMatch(reason);
    expect(result.tier).toBe(tier);
    expect(result.files[0].tier).toBe(tier);
  });
});

describe("classifyChanges: the change", () => {
  test("the PR tier is the highest file tier and every file keeps its reasons", () => {
    const result = classifyChanges(
      [modified("README.md", ["x"]), fixtureFile("src/routes/articles.js"), fixtureFile("infra/modules/vpc/main.tf")],
      config(),
    );
    expect(result.tier).toBe("high");
    expect(result.files.map((f) => f.tier)).toEqual(["low", "medium", "high"]);
    for (const f of result.files) expect(f.reasons.length).toBeGreaterThan(0);
  });

  test("an empty change is low", () => {
    expect(classifyChanges([], config())).toEqual({ tier: "low", files: [] });
  });

  test("a model change with a migration in the same change: the model stays medium, the PR is critical", () => {
    const result = classifyChanges(
      [
        modified("app/shop/models.py", ["    sku = models.CharField(max_length=64)"], [], ["from django.db import models", "class Product(models.Model):"]),
        fixtureFile("app/blog/migrations/0004_post_slug.py"),
      ],
      config(),
    );
    expect(result.files[0].tier).toBe("medium");
    expect(result.files[0].reasons.join()).toMatch(/accompanied by migration app\/blog\/migrations\/0004_post_slug\.py/);
    expect(result.tier).toBe("critical");
  });

  test("a migration mixed with application code recommends splitting", () => {
    const result = classifyChanges([fixtureFile("db/migrate/20240512093000_add_published_at_to_posts.rb"), fixtureFile("src/routes/articles.js")], config());
    expect(result.files[0].reasons.join()).toMatch(/consider an isolated migration PR/);
  });

  test("Helm templates are recognised through the repository tree", () => {
    const template = { path: "ops/web/templates/cm.yaml", status: "modified" as const, content: "data:\n  a: b\n" };
    expect(classifyChanges([template], config()).tier).toBe("medium");
    expect(classifyChanges([template], config(), { repoPaths: ["ops/web/Chart.yaml"] }).tier).toBe("high");
  });
});

describe("classifyChanges: repository patterns", () => {
  const patterns = (tier: Tier, paths: string[], reason?: string) => config({ risk: { patterns: [{ paths, tier, ...(reason ? { reason } : {}) }] } });

  test("a pattern raises a file and says why", () => {
    const result = classifyChanges([added("src/billing/charge.ts", "export {}\n")], patterns("high", ["src/billing/**"], "money moves here"));
    expect(result.tier).toBe("high");
    expect(result.files[0].reasons[0]).toBe('repository pattern "src/billing/**" in .github/codegen.yml sets high: money moves here');
  });

  test("a pattern can lower ordinary code", () => {
    expect(classifyChanges([added("scripts/gen.ts", "export {}\n")], patterns("low", ["scripts/**"])).tier).toBe("low");
  });

  test("a slash-less glob matches at any depth", () => {
    expect(classifyChanges([added("a/b/c.generated.ts", "export {}\n")], patterns("low", ["*.generated.ts"])).tier).toBe("low");
  });

  test.each<[string, ChangedFile]>([
    ["a Rails migration", fixtureFile("db/migrate/20240512093000_add_published_at_to_posts.rb")],
    ["a Prisma schema", modified("prisma/schema.prisma", ["  id Int @id"])],
    ["codegen.yml", modified(".github/codegen.yml", ["auto_merge: true"])],
  ])("never lowers %s below critical", (_name, file) => {
    const result = classifyChanges([file], patterns("low", ["**"]));
    expect(result.tier).toBe("critical");
    expect(result.files[0].reasons.join()).toMatch(/cannot lower this file below critical/);
  });

  test("never lowers a workflow below high, nor an escalator", () => {
    expect(classifyChanges([modified(".github/workflows/ci.yml", ["on: push"])], patterns("low", ["**"])).tier).toBe("high");
    expect(classifyChanges([added("x/purge.py", 'db.execute("DELETE FROM users")\n')], patterns("low", ["**"])).tier).toBe("high");
  });

  test("when patterns disagree, the strictest wins", () => {
    const cfg = config({ risk: { patterns: [{ paths: ["src/**"], tier: "low" }, { paths: ["src/auth/**"], tier: "high" }] } });
    expect(classifyChanges([added("src/auth/login.ts", "export {}\n")], cfg).tier).toBe("high");
  });
});

describe("classifyChanges: rules added after the bench", () => {
  test.each<[string, ChangedFile, Tier]>([
    ["Kamal deploy.yml", modified("config/deploy.yml", ["  hosts: [web1]"]), "high"],
    ["Rails encrypted credentials", modified("config/credentials/production.yml.enc", ["xyz"]), "high"],
    ["docker/ entrypoint", modified("docker/celery_entrypoint.sh", ["exec celery worker"]), "high"],
    ["Laravel model factory", modified("database/factories/UserFactory.php", ["        'name' => fake()->name(),"]), "low"],
  ])("%s → %s", (_name, file, tier) => {
    expect(classifyChanges([file], config()).tier).toBe(tier);
  });

  test("dbt project files are data transformations, including seeds", () => {
    const repoPaths = ["dbt_project.yml"];
    expect(classifyChanges([modified("dbt_project.yml", ["  +materialized: table"])], config(), { repoPaths }).tier).toBe("low-medium");
    expect(classifyChanges([added("seeds/raw_orders.csv", "id,user_id\n1,1\n")], config(), { repoPaths }).tier).toBe("low-medium");
    expect(classifyChanges([added("seeds/raw_orders.csv", "id,user_id\n1,1\n")], config()).tier).toBe("medium");
  });

  test("SQLModel: a field added to an API schema class is not a schema change; one in a table's base class is", () => {
    const lines = [
      "from sqlmodel import Field, SQLModel",
      "class ItemBase(SQLModel):",
      "    title: str = Field(max_length=255)",
      "class ItemUpdate(SQLModel):",
      "    title: str | None = None",
      "class Item(ItemBase, table=True):",
      "    id: int = Field(primary_key=True)",
    ];
    expect(classifyChanges([edited("backend/app/models.py", lines, [5])], config()).tier).toBe("medium");
    expect(classifyChanges([edited("backend/app/models.py", lines, [3])], config()).tier).toBe("critical");
  });
});
