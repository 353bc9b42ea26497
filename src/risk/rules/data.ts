import { firstMatchingPattern, type PathPattern } from "../globs.js";
import { addedLinesMatching, onLines } from "../scan.js";
import { category, hasAncestorFile, type RiskRule, type RuleFinding } from "./types.js";

export const DATA_PATH_PATTERNS: readonly PathPattern[] = [
  { glob: "**/{transform,transforms,transformers,transformer,transformations,etl,pipeline,pipelines,mapper,mappers,serializer,serializers,dto,dtos,adapter,adapters,converter,converters,normalizer,normalizers,formatter,formatters,parser,parsers,presenters,decorators}/**", label: "data transformation module" },
  { glob: "**/*{_transform,_transformer,_mapper,_serializer,_serializers,_parser,_converter,_formatter}.{py,rb}", label: "data transformation module" },
  { glob: "**/*{.transform,.transformer,.mapper,.serializer,.parser,.converter,.formatter,.dto,Transformer,Mapper,Serializer,Converter,Formatter,Parser,Dto,DTO}.{js,ts,java,kt,cs}", label: "data transformation module" },
  { glob: "**/serializers.py", label: "Django REST serializer" },
  { glob: "**/dags/**/*.py", label: "Airflow DAG" },
  { glob: "**/*.ipynb", label: "notebook" },
  { glob: "**/*.{csv,tsv,jsonl,ndjson,parquet}", label: "data file" },
];

const DATA_CONTENT: readonly { re: RegExp; label: string }[] = [
  { re: /\{\{\s*(?:ref|source|config)\s*\(/, label: "dbt model" },
  { re: /^\s*(?:from|import)\s+(?:airflow|dagster|prefect|luigi)\b/m, label: "data pipeline (Airflow/Dagster/Prefect)" },
  { re: /^\s*(?:import|from)\s+(?:pandas|polars|pyspark|apache_beam|dask)\b/m, label: "dataframe transformation" },
  { re: /\.withColumn\(|\.groupby\(|\.merge\(\s*\w+,|\.pivot_table\(/, label: "dataframe transformation" },
  { re: /class\s+\w+(?:Serializer|Mapper|Transformer|Converter|Normalizer|Formatter|Presenter)\b/, label: "serializer/mapper class" },
  { re: /\bplainToInstance\b|\bclass-transformer\b|z\.\w+\([^)]*\)\.transform\(/, label: "object transformation" },
];

/** Side effects that make a "transformation" more than pure data shaping (risk notes §4.3). */
const SIDE_EFFECTS = /\bfetch\(|\baxios\b|\brequests\.(?:get|post|put|delete|patch)\(|\bhttpx\.|\bhttp\.Client\b|\burllib\.request\b|\bfs\.(?:write|append|rm|unlink)\w*\(|\bopen\([^)]*['"][wa]b?['"]|\.to_(?:sql|csv|parquet)\(|\bboto3\b/;

export const dataRule: RiskRule = {
  id: "data",
  description: "Data transformations: run on sample data and compare with expected output.",
  evaluate(facts, context) {
    const findings: RuleFinding[] = [];
    if (facts.isTestLike || facts.isDoc) return findings;
    let label = firstMatchingPattern(facts.path, DATA_PATH_PATTERNS)?.label;
    const dbtProject = hasAncestorFile(facts.path, ["dbt_project.yml"], context.repoPaths);
    if (!label && facts.basename === "dbt_project.yml") label = "dbt project configuration";
    if (!label && dbtProject && /(?:^|\/)(?:models|seeds|snapshots|macros|analyses)\//.test(facts.path)) {
      label = `dbt project file (under ${dbtProject})`;
    }
    const text = facts.content;
    if (text && (facts.isCode || facts.ext === ".ipynb")) {
      const marker = DATA_CONTENT.find((m) => m.re.test(text));
      if (marker && !label) label = `${marker.label} in ${facts.basename}`;
    }
    if (!label) return findings;
    const effects = addedLinesMatching(facts, SIDE_EFFECTS);
    if (effects.length) {
      findings.push(category("medium", `${label} that also performs network or file I/O${onLines(effects)}`));
    } else {
      findings.push(category("low-medium", label));
    }
    return findings;
  },
};
