import picomatch from "picomatch";

/**
 * `protected_paths` as every part of the app applies them (context selection, the model's tools, the patch
 * check, a pull request's diff): a path is protected when a glob matches it or a folder above it, so `secrets`,
 * `secrets/` and `secrets/**` all cover `secrets/prod/key.pem`. Dot files count; a glob without `/` is matched
 * against the whole path, not the base name (`*.pem` covers `key.pem` at the root only; `**\/*.pem` everywhere).
 */
export function protectedPathMatcher(globs: readonly string[] | undefined): (path: string) => boolean {
  const cleaned = (globs ?? []).map((glob) => glob.replace(/\/+$/, "")).filter((glob) => glob !== "");
  if (cleaned.length === 0) return () => false;
  const matches = picomatch(cleaned, { dot: true });
  return (path) => {
    const parts = path.split("/");
    for (let i = 1; i <= parts.length; i++) if (matches(parts.slice(0, i).join("/"))) return true;
    return false;
  };
}
