import { posix } from "node:path";

/**
 * Resolves import specifiers (and module names mentioned in issues) to repository files, without knowing any
 * build configuration: relative specifiers by path, bare ones by the longest path suffix they match
 * (`pkg/plugin/utc` → `src/plugin/utc/index.js`, `com.acme.Foo` → `src/main/java/com/acme/Foo.java`,
 * `github.com/acme/x/pkg/y` → the files of `pkg/y/` for Go). A suffix of one segment only counts when it is
 * unambiguous, so an external package (`react`) rarely lands on a same-named local file.
 */
export interface ModuleResolver {
  resolve(fromPath: string, specifier: string): string[];
}

const INDEX_NAMES = new Set(["index", "__init__", "mod"]);
const STRIPPED_EXTENSION = /\.(m?[jt]sx?|c[jt]s|d\.ts|py|pyi|rb|go|java|kt|scala|php|rs|vue|svelte|json)$/;

function stemOf(path: string): string {
  return path.replace(STRIPPED_EXTENSION, "");
}

export function createModuleResolver(paths: readonly string[]): ModuleResolver {
  const byStem = new Map<string, string[]>();
  const bySuffix = new Map<string, string[]>();
  const goDirs = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, path: string) => {
    const list = map.get(key);
    if (list) {
      if (!list.includes(path)) list.push(path);
    } else map.set(key, [path]);
  };
  for (const path of [...paths].sort()) {
    const stem = stemOf(path);
    const keys = [stem];
    const base = posix.basename(stem);
    if (INDEX_NAMES.has(base) && stem.includes("/")) keys.push(posix.dirname(stem));
    for (const key of keys) {
      add(byStem, key, path);
      const segments = key.split("/");
      for (let i = 1; i < segments.length; i++) add(bySuffix, segments.slice(i).join("/"), path);
    }
    if (path.endsWith(".go") && !path.endsWith("_test.go")) {
      const segments = posix.dirname(path).split("/");
      for (let i = 0; i < segments.length; i++) add(goDirs, segments.slice(i).join("/"), path);
    }
  }

  const lookup = (key: string): string[] => byStem.get(key) ?? [];

  /**
   * `crate::a::b::Item` from the crate's `src/`, `self::`/`super::` from the importing module's folder (a module
   * `src/a.rs` keeps its children in `src/a/`); the longest prefix naming a module file wins (`Item` is a type in it).
   */
  const resolveRust = (fromPath: string, spec: string): string[] => {
    const [head, ...rest] = spec.split("::");
    if (!fromPath || rest.length === 0) return [];
    const dir = posix.dirname(fromPath);
    const own = /^(mod|lib|main)$/.test(posix.basename(stemOf(fromPath))) ? dir : stemOf(fromPath);
    let bases: string[];
    if (head === "crate") {
      const src = fromPath.lastIndexOf("src/");
      bases = [src >= 0 ? fromPath.slice(0, src + 3) : "."];
    } else if (head === "self") bases = own === dir ? [dir] : [own, dir];
    else if (head === "super") bases = [own === dir ? posix.dirname(dir) : dir];
    else return [];
    for (let k = rest.length; k > 0; k--) {
      for (const base of bases) {
        const found = lookup(posix.normalize(posix.join(base, ...rest.slice(0, k))));
        if (found.length > 0) return found;
      }
    }
    return [];
  };

  return {
    resolve(fromPath, specifier) {
      const spec = specifier.trim().replace(/[?#].*$/, "");
      if (!spec) return [];
      // `.` and `..` are relative too: `import parse from "."` in date-fns's co-located tests, `require("..")`.
      if (spec === "." || spec === ".." || spec.startsWith("./") || spec.startsWith("../")) {
        const joined = posix.normalize(posix.join(posix.dirname(fromPath), spec));
        return lookup(stemOf(joined));
      }
      if (fromPath.endsWith(".py") && spec.startsWith(".")) {
        const dots = spec.match(/^\.+/)![0].length;
        let dir = posix.dirname(fromPath);
        for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
        const rest = spec.slice(dots).replace(/\./g, "/");
        return lookup(posix.normalize(rest ? posix.join(dir, rest) : dir));
      }
      if (spec.includes("::")) return resolveRust(fromPath, spec);
      if (fromPath.endsWith(".go")) {
        const segments = spec.split("/");
        for (let i = 0; i < segments.length - 1; i++) {
          const files = goDirs.get(segments.slice(i).join("/"));
          if (files) return files;
        }
        return [];
      }
      // Dotted module names (Python, JVM) become paths; a JavaScript specifier keeps its dots (`lodash.merge`).
      const dotted = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(spec) && !/\.(m?[jt]sx?|json)$/.test(spec);
      // PHP namespaces are paths too (PSR-4: `Composer\\Package\\Loader` → `src/Composer/Package/Loader.php`).
      const asPath = stemOf(dotted ? spec.replace(/\./g, "/") : spec.replace(/^@/, "").replace(/\\/g, "/")).replace(/^\/+/, "");
      const segments = asPath.split("/").filter((s) => s && s !== "." && s !== "..");
      for (let i = 0; i < segments.length; i++) {
        const key = segments.slice(i).join("/");
        const exact = byStem.get(key);
        if (exact) return exact;
        const suffix = bySuffix.get(key);
        if (!suffix) continue;
        if (segments.length - i >= 2 || suffix.length === 1) return suffix;
      }
      return [];
    },
  };
}
