import { firstMatchingPattern, type PathPattern } from "../globs.js";
import { onLines, removedLinesMatching, snippet } from "../scan.js";
import { category, escalator, hasAncestorFile, type RiskRule, type RuleFinding } from "./types.js";

export const INFRASTRUCTURE_PATH_PATTERNS: readonly PathPattern[] = [
  { glob: "**/*.{tf,tf.json,tofu}", label: "Terraform configuration" },
  { glob: "**/*.{tfvars,tfvars.json}", label: "Terraform variables" },
  { glob: "**/.terraform.lock.hcl", label: "Terraform provider lock file" },
  { glob: "**/terragrunt.hcl", label: "Terragrunt configuration" },
  { glob: "**/Pulumi{,.*}.{yaml,yml}", label: "Pulumi project/stack" },
  { glob: "**/{cdk.json,cdk.context.json}", label: "AWS CDK configuration" },
  { glob: "**/samconfig.toml", label: "AWS SAM configuration" },
  { glob: "**/*.template", label: "CloudFormation template" },
  { glob: "**/{Chart.yaml,Chart.lock,values.schema.json}", label: "Helm chart" },
  { glob: "**/charts/**/*.{yaml,yml,tpl,json}", label: "Helm chart file under charts/" },
  { glob: "**/kustomization.{yaml,yml}", label: "Kustomize kustomization" },
  { glob: "**/{k8s,kubernetes,kube,manifests,helm,argocd,flux}/**/*.{yaml,yml,json,jsonnet,libsonnet}", label: "Kubernetes manifests directory" },
  { glob: "**/deploy/**/*.{yaml,yml}", label: "deployment manifest under deploy/" },
  { glob: "**/{playbook*,site}.{yaml,yml}", label: "Ansible playbook" },
  { glob: "**/roles/*/{tasks,handlers,defaults,vars,meta,templates}/**", label: "Ansible role" },
  { glob: "**/{group_vars,host_vars}/**", label: "Ansible inventory variables" },
  { glob: "**/{ansible.cfg,inventory,inventory.*,hosts.ini}", label: "Ansible inventory/configuration" },
  { glob: "**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile}", label: "Dockerfile" },
  { glob: "**/.dockerignore", label: "Docker build context filter (.dockerignore)" },
  { glob: "**/{docker-compose,compose}{,.*}.{yaml,yml}", label: "Docker Compose file" },
  { glob: "**/serverless.{yml,yaml,ts,json}", label: "Serverless Framework configuration" },
  { glob: "**/nginx.conf", label: "nginx configuration" },
  { glob: "**/nginx/**/*.conf", label: "nginx configuration" },
  { glob: "**/{conf.d,sites-available,sites-enabled}/*", label: "web server site configuration" },
  { glob: "**/*.{service,timer,socket,mount}", label: "systemd unit" },
  { glob: "**/*.pkr.hcl", label: "Packer template" },
  { glob: "**/*.nomad{,.hcl}", label: "Nomad job" },
  { glob: "**/*.bicep", label: "Azure Bicep template" },
  { glob: "**/{fly.toml,vercel.json,netlify.toml,wrangler.toml,wrangler.json,app.yaml,app.yml,render.yaml,railway.json,railway.toml,Procfile,Procfile.*,heroku.yml,app.json,now.json,firebase.json,skaffold.yaml,tilt_modules/**,Tiltfile}", label: "hosting/deployment configuration" },
  { glob: "**/.platform/**", label: "hosting platform configuration" },
  { glob: "**/{.kamal/**,config/deploy.yml,config/deploy.*.yml}", label: "Kamal deployment configuration" },
  { glob: "**/docker/**", label: "container build/entrypoint file under docker/" },
  { glob: "**/*.{jsonnet,libsonnet}", label: "Jsonnet configuration (Kubernetes templating)" },
  { glob: "**/{config/credentials/**,config/credentials.yml.enc,config/master.key,*.key.enc,secrets.y*ml,.sops.yaml}", label: "encrypted credentials / secrets" },
  { glob: "**/.ebextensions/**", label: "Elastic Beanstalk configuration" },
];

/** Content markers: checked on the new content of any non-test file. */
const INFRASTRUCTURE_CONTENT: readonly { re: RegExp; label: string; exts?: readonly string[] }[] = [
  { re: /^AWSTemplateFormatVersion|^Transform:\s*AWS::Serverless|^\s+Type:\s*['"]?AWS::\w+::/m, label: "CloudFormation/SAM template", exts: [".yaml", ".yml", ".json"] },
  { re: /^\s*(?:resource|provider|module|backend)\s+"[\w-]+"|^\s*terraform\s*\{/m, label: "Terraform configuration", exts: [".hcl"] },
  { re: /from\s+['"]aws-cdk-lib|require\(['"]aws-cdk-lib|from\s+aws_cdk\b|import\s+aws_cdk\b/, label: "AWS CDK infrastructure code" },
  { re: /from\s+['"]@pulumi\/|require\(['"]@pulumi\/|^import\s+pulumi\b/m, label: "Pulumi infrastructure code" },
  { re: /\{\{-?\s*(?:\.Values|include\s+"|template\s+"|\.Release\.|\.Chart\.)/, label: "Helm template", exts: [".yaml", ".yml", ".tpl", ".txt"] },
  { re: /^\s*-?\s*hosts:\s*\S[\s\S]*^\s*(?:tasks|roles):/m, label: "Ansible playbook", exts: [".yaml", ".yml"] },
  { re: /^\[(?:Unit|Service|Install)\]\s*$/m, label: "systemd unit" },
  { re: /^\s*(?:server|upstream\s+\w+)\s*\{[\s\S]*\blisten\b|^\s*location\s+[~=^\/]/m, label: "nginx configuration", exts: [".conf"] },
  { re: /^FROM\s+\S+/m, label: "Dockerfile", exts: [".dockerfile"] },
];

const K8S_KIND = /^kind:\s*['"]?(\w+)/m;
const K8S_API = /^apiVersion:\s*\S+/m;

export const infrastructureRule: RiskRule = {
  id: "infrastructure",
  description: "Infrastructure as code: plan/dry-run only, human review.",
  evaluate(facts, context) {
    const findings: RuleFinding[] = [];
    if (facts.isDoc) return findings;
    const row = facts.isTestLike ? undefined : firstMatchingPattern(facts.path, INFRASTRUCTURE_PATH_PATTERNS);
    if (row) findings.push(category("high", row.label));
    if (facts.isTestLike) return findings;

    const yaml = facts.ext === ".yaml" || facts.ext === ".yml" || facts.ext === ".json";
    const chart = hasAncestorFile(facts.path, ["Chart.yaml"], context.repoPaths);
    if (chart && !row) {
      findings.push(category("high", `Helm chart file (chart ${chart})`));
    }
    if (yaml && facts.content) {
      const kind = K8S_KIND.exec(facts.content);
      if (kind && K8S_API.test(facts.content)) {
        findings.push(category("high", `Kubernetes manifest (kind: ${snippet(kind[1], 40)})`));
      }
    }
    for (const marker of INFRASTRUCTURE_CONTENT) {
      if (marker.exts && !marker.exts.includes(facts.ext) && !(marker.label === "Dockerfile" && /dockerfile/i.test(facts.basename))) continue;
      if (facts.content && marker.re.test(facts.content)) {
        findings.push(category("high", marker.label));
        break;
      }
    }
    // Destructive edits stay high, but the reason says what goes away.
    const removedResources = removedLinesMatching(facts, /^\s*resource\s+"[\w-]+"\s+"[\w-]+"/);
    if (removedResources.length) {
      const names = removedResources.slice(0, 3).map((l) => /resource\s+"([\w-]+)"\s+"([\w-]+)"/.exec(l.text)!.slice(1).join("."));
      findings.push(escalator("high", `removes Terraform resource ${names.join(", ")} (destroy on apply)`));
    }
    if (facts.status === "deleted" && findings.length) {
      findings.push(escalator("high", "deletes an infrastructure file: resources it defines may be destroyed"));
    }
    const privileged = facts.added.filter((l) => /\bprivileged:\s*true|\bhostNetwork:\s*true|\bhostPID:\s*true|--privileged\b|\bcap_add\b|0\.0\.0\.0\/0/.test(l.text));
    if (privileged.length && findings.length) {
      findings.push(escalator("high", `widens privileges or exposure (${snippet(privileged[0].text, 40)})${onLines(privileged)}`));
    }
    return findings;
  },
};
