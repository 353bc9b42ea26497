import type { ReviewInfo } from "../../src/github/forge.js";
import { evaluateRiskGate, latestDecisiveReviews, reviewersToLookUp } from "../../src/risk/gate.js";
import { TIERS, type Tier } from "../../src/risk/types.js";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);
let id = 0;
const review = (author: string, state: ReviewInfo["state"], commitId = HEAD, extra: Partial<ReviewInfo> = {}): ReviewInfo => ({
  id: ++id,
  author,
  authorIsBot: false,
  state,
  commitId,
  submittedAt: `2024-01-01T00:00:${String(id).padStart(2, "0")}Z`,
  ...extra,
});
const gate = (tier: Tier, reviews: ReviewInfo[], permissions: Record<string, "admin" | "write" | "read" | "none"> = {}, verified = true) =>
  evaluateRiskGate({ tier, verified, headSha: HEAD, reviews, permissions, appLogin: "codegen[bot]" });

describe("evaluateRiskGate: tiers without approval", () => {
  test.each(TIERS)("%s fails when verification did not pass", (tier) => {
    expect(gate(tier, [review("alice", "APPROVED")], { alice: "write" }, false).conclusion).toBe("failure");
  });
  test.each<Tier>(["low", "low-medium", "medium"])("%s succeeds once verified, without reviews", (tier) => {
    expect(gate(tier, []).conclusion).toBe("success");
  });
  test.each<Tier>(["high", "critical"])("%s needs an approval", (tier) => {
    const result = gate(tier, []);
    expect(result.conclusion).toBe("action_required");
    expect(result.summary).toMatch(/write access must review and approve the current head commit aaaaaaa/);
  });
});

describe("evaluateRiskGate: who and what counts for high and critical", () => {
  test.each<[string, ReviewInfo[], Record<string, "admin" | "write" | "read" | "none">, "success" | "action_required", RegExp]>([
    ["a writer approves the head", [review("alice", "APPROVED")], { alice: "write" }, "success", /@alice approved the head commit/],
    ["an admin approves the head", [review("Alice", "APPROVED")], { alice: "admin" }, "success", /@Alice approved/],
    ["approval of an older commit", [review("alice", "APPROVED", OLD)], { alice: "write" }, "action_required", /approved bbbbbbb, not the current head aaaaaaa/],
    ["reader approves", [review("bob", "APPROVED")], { bob: "read" }, "action_required", /has no write access/],
    ["unknown permission counts as none", [review("bob", "APPROVED")], {}, "action_required", /has no write access/],
    ["a bot approves", [review("renovate[bot]", "APPROVED", HEAD, { authorIsBot: true })], { "renovate[bot]": "write" }, "action_required", /bot or the app itself/],
    ["the app approves itself (not flagged as bot)", [review("codegen[bot]", "APPROVED")], { "codegen[bot]": "admin" }, "action_required", /bot or the app itself/],
    ["the app under its bare name", [review("codegen", "APPROVED")], { codegen: "admin" }, "action_required", /bot or the app itself/],
    ["a later comment does not cancel an approval", [review("alice", "APPROVED"), review("alice", "COMMENTED")], { alice: "write" }, "success", /approved/],
    ["a later dismissal cancels it", [review("alice", "APPROVED"), review("alice", "DISMISSED")], { alice: "write" }, "action_required", /needs|must review/],
    ["a writer's standing change request blocks another approval", [review("alice", "APPROVED"), review("carol", "CHANGES_REQUESTED")], { alice: "write", carol: "write" }, "action_required", /@carol requested changes/],
    ["re-approval after requesting changes", [review("alice", "CHANGES_REQUESTED"), review("alice", "APPROVED")], { alice: "write" }, "success", /approved/],
    ["a reader's change request does not block", [review("alice", "APPROVED"), review("dave", "CHANGES_REQUESTED")], { alice: "write", dave: "read" }, "success", /approved/],
  ])("%s", (_name, reviews, permissions, conclusion, summary) => {
    for (const tier of ["high", "critical"] as const) {
      const result = gate(tier, reviews, permissions);
      expect(result.conclusion).toBe(conclusion);
      expect(result.summary).toMatch(summary);
    }
  });

  test("critical success still says a human merges", () => {
    expect(gate("critical", [review("alice", "APPROVED")], { alice: "write" }).summary).toMatch(/The app never merges this pull request/);
  });
});

describe("review helpers", () => {
  test("latestDecisiveReviews keeps each author's last decision, ordered by time", () => {
    const reviews = [review("a", "APPROVED"), review("a", "COMMENTED"), review("b", "CHANGES_REQUESTED"), review("b", "APPROVED")];
    expect(latestDecisiveReviews(reviews).map((r) => `${r.author}:${r.state}`)).toEqual(["a:APPROVED", "b:APPROVED"]);
  });

  test("reviewersToLookUp skips bots, the app and dismissed reviews", () => {
    const reviews = [
      review("alice", "APPROVED"),
      review("codegen[bot]", "APPROVED"),
      review("dep[bot]", "APPROVED", HEAD, { authorIsBot: true }),
      review("erin", "DISMISSED"),
      review("carol", "CHANGES_REQUESTED"),
    ];
    expect(reviewersToLookUp(reviews, "codegen[bot]")).toEqual(["alice", "carol"]);
  });
});

describe("evaluateRiskGate: a head commit pushed by a person", () => {
  const pushed = (tier: Tier, reviews: ReviewInfo[] = [], permissions: Record<string, "write" | "read"> = {}) =>
    evaluateRiskGate({ tier, verified: false, headSha: HEAD, reviews, permissions, appLogin: "codegen[bot]", headPushedByPerson: true });

  test.each<Tier>(["low", "low-medium", "medium"])("%s is neutral: codegen did not verify the new commits", (tier) => {
    const result = pushed(tier);
    expect(result.conclusion).toBe("neutral");
    expect(result.title).toContain("not verified by codegen");
  });
  test.each<Tier>(["high", "critical"])("%s still needs a writer's approval of the new head", (tier) => {
    expect(pushed(tier).conclusion).toBe("action_required");
    expect(pushed(tier, [review("alice", "APPROVED", OLD)], { alice: "write" }).conclusion).toBe("action_required");
    expect(pushed(tier, [review("alice", "APPROVED")], { alice: "write" }).conclusion).toBe("success");
  });
});
