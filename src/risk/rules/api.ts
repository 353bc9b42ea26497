import { firstMatchingPattern, type PathPattern } from "../globs.js";
import type { FileFacts } from "../file-facts.js";
import { onLines, removedLinesMatching, snippet } from "../scan.js";
import { category, escalator, type RiskRule, type RuleFinding } from "./types.js";

const CODE = "{js,jsx,ts,tsx,mjs,cjs,py,rb,go,java,kt,cs,php,ex,exs,rs}";

export const API_PATH_PATTERNS: readonly PathPattern[] = [
  { glob: `**/app/api/**/route.{ts,js,tsx,jsx,mjs}`, label: "Next.js route handler (app/api/**/route)" },
  { glob: `**/pages/api/**/*.${CODE}`, label: "Next.js API route (pages/api/)" },
  { glob: "**/routes/**/+server.{ts,js}", label: "SvelteKit endpoint (+server)" },
  { glob: `**/server/api/**/*.${CODE}`, label: "Nuxt server API route" },
  { glob: "**/config/routes.rb", label: "Rails routes (config/routes.rb)" },
  { glob: "**/config/routes/**/*.rb", label: "Rails routes" },
  { glob: "**/app/controllers/**/*.rb", label: "Rails controller" },
  { glob: "**/urls.py", label: "Django URL configuration (urls.py)" },
  { glob: "**/views.py", label: "Django views (views.py)" },
  { glob: "**/views/**/*.py", label: "Django/Flask views" },
  { glob: "**/{api,apis,endpoints,routers,handlers}/**/*.py", label: "Python API module" },
  { glob: "**/routes/{web,api}.php", label: "Laravel routes" },
  { glob: "**/app/Http/Controllers/**", label: "Laravel controller" },
  { glob: "**/*router*.ex", label: "Phoenix router" },
  { glob: "**/*_controller.ex", label: "Phoenix controller" },
  { glob: `**/{routes,controllers,controller,handlers,endpoints,resolvers,api}/**/*.${CODE}`, label: "API module (routes/controllers/handlers)" },
  { glob: `**/*{Controller,Resource,Endpoint}.{java,kt,cs}`, label: "API controller class" },
  { glob: `**/*{.controller,.routes,.router,.resolver,-routes,-router,_routes,_router}.{js,ts,mjs,cjs}`, label: "API module (controller/router file)" },
  { glob: "**/*.{graphql,gql,graphqls}", label: "GraphQL schema" },
  { glob: "**/{openapi,swagger}*.{yaml,yml,json}", label: "OpenAPI contract" },
];

/** Route and handler markers, adapted from OWASP Noir's detectors (risk notes §4.1). */
const API_CONTENT: readonly { re: RegExp; label: string }[] = [
  { re: /\b(?:app|router|api|server|\w+Router)\.(?:get|post|put|patch|delete|all|route)\s*\(\s*['"`\/]/, label: "Express/Koa-style route" },
  { re: /\bfastify\.(?:get|post|put|delete|patch|head|options|route)\s*\(|from\s+['"]fastify['"]/, label: "Fastify route" },
  { re: /@(?:Controller|Resolver)\s*\(|@(?:Get|Post|Put|Patch|Delete|All|Head|Options|Query|Mutation)\s*\(\s*['"`)]/, label: "NestJS controller/resolver" },
  { re: /^\s*export\s+(?:async\s+)?(?:function|const)\s+(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/m, label: "Next.js route handler" },
  { re: /^\s*export\s+(?:async\s+)?(?:function|const)\s+(?:loader|action)\b/m, label: "Remix/React Router loader or action" },
  { re: /^['"]use server['"]/m, label: "React server action" },
  { re: /\b(?:publicProcedure|protectedProcedure)\b/, label: "tRPC procedure" },
  { re: /@\s*[\w.]+\s*\.\s*(?:route|get|post|put|patch|delete|api_route|websocket)\s*\(/, label: "Flask/FastAPI route decorator" },
  { re: /\b(?:APIRouter|FastAPI|Blueprint)\s*\(|\.add_url_rule\(|\.include_router\(|\.add_resource\(/, label: "Python web router" },
  { re: /\b(?:APIView|ViewSet|GenericAPIView|ModelViewSet)\b|@api_view\b|\brouter\.register\(|\b(?:re_)?path\(\s*r?['"]/, label: "Django/DRF view or route" },
  { re: /^\s*(?:resources?|namespace|scope|get|post|put|patch|delete|match|mount|root)\s+[:'"]/m, label: "Rails route" },
  { re: /<\s*(?:ApplicationController|ActionController::(?:Base|API))\b/, label: "Rails controller" },
  { re: /@(?:RestController|Controller|RequestMapping|GetMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping)\b|@(?:Path|GET|POST|PUT|DELETE)\b/, label: "Spring/JAX-RS controller" },
  { re: /\[ApiController\]|\[Http(?:Get|Post|Put|Delete|Patch)\b|\bapp\.Map(?:Get|Post|Put|Delete|Patch)?\(/, label: "ASP.NET endpoint" },
  { re: /\bhttp\.Handle(?:Func)?\s*\(|\bNewServeMux\(|\.(?:GET|POST|PUT|PATCH|DELETE|Any|Handle|HandleFunc)\(\s*"\//, label: "Go HTTP handler" },
  { re: /Route::(?:get|post|put|patch|delete|options|any|match|resource|apiResource|group|prefix|middleware)\s*\(/, label: "Laravel route" },
  { re: /^\s*(?:scope|pipe_through|live|resources|get|post|put|patch|delete)\s+"\//m, label: "Phoenix route" },
  { re: /Router::new\(\)|\.route\(\s*"\/|#\[(?:get|post|put|delete|patch)\(\s*"/, label: "Rust web route" },
  { re: /^\s*service\s+\w+\s*\{|^\s*rpc\s+\w+\s*\(/m, label: "gRPC service definition" },
];

function removedApiPaths(facts: FileFacts): string[] {
  if (!/openapi|swagger/i.test(facts.basename)) return [];
  const removedPaths = removedLinesMatching(facts, /^\s{2}['"]?\/[\w\/{}.-]*['"]?:\s*$/).map((l) => l.text.trim().replace(/[:'"]/g, ""));
  const stillThere = new Set(facts.added.map((l) => l.text.trim().replace(/[:'"]/g, "")));
  return removedPaths.filter((p) => !stillThere.has(p));
}

export const apiRule: RiskRule = {
  id: "api",
  description: "API endpoints and contracts: tests generated alongside, human review.",
  evaluate(facts) {
    const findings: RuleFinding[] = [];
    if (facts.isTestLike || facts.isDoc) return findings;
    const row = firstMatchingPattern(facts.path, API_PATH_PATTERNS);
    if (row) findings.push(category("medium", row.label));
    const text = facts.content || facts.removed.map((l) => l.text).join("\n");
    if (text && (facts.isCode || facts.ext === ".proto")) {
      const marker = API_CONTENT.find((m) => m.re.test(text));
      if (marker && marker.label !== row?.label) findings.push(category("medium", `${marker.label} in ${facts.basename}`));
    }
    const gone = removedApiPaths(facts);
    if (gone.length) findings.push(escalator("high", `removes API path ${gone.slice(0, 3).map((p) => snippet(p, 50)).join(", ")} from the contract (breaking)`));
    const removedRpc = removedLinesMatching(facts, /^\s*rpc\s+\w+/);
    if (facts.ext === ".proto" && removedRpc.length) findings.push(escalator("high", `removes gRPC method${onLines(removedRpc)} (breaking)`));
    return findings;
  },
};
