/** Risk tiers, lowest first. The PR's tier is the highest of its files. */
export const TIERS = ["low", "low-medium", "medium", "high", "critical"] as const;
export type Tier = (typeof TIERS)[number];

export const tierRank = (tier: Tier): number => TIERS.indexOf(tier);
export const maxTier = (...tiers: Tier[]): Tier =>
  tiers.reduce<Tier>((a, b) => (tierRank(b) > tierRank(a) ? b : a), "low");

/** A changed file, as the classifier sees it. */
export interface ChangedFile {
  path: string;
  status: "added" | "modified" | "deleted" | "renamed";
  previousPath?: string;
  /** New content (absent for deletions or binary files). */
  content?: string;
  /** Unified diff of this file, when available. */
  patch?: string;
}

export interface FileRisk {
  path: string;
  tier: Tier;
  reasons: string[];
}

export interface RiskAssessment {
  tier: Tier;
  files: FileRisk[];
}
