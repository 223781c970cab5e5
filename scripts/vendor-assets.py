#!/usr/bin/env python3
"""Vendor the site's npm packages: copy exactly the built files the pages need.

The packages and their versions are those of web-assets/package.json and its lock file; `npm ci`
installs them (scripts off: swagger-ui-dist's dependency @scarf/scarf would otherwise report the
install to its vendor) into web-assets/node_modules/, and this script copies the files listed in
PACKAGES below into

- src/innovgraph/web/static/vendor/<dir>/ for what the site serves (shipped in the wheel), and
- tests/vendor/<dir>/ for what only the tests use (axe-core),

each with the package's licence, and writes a MANIFEST in each of the two folders (package,
version, licence, file, bytes, sha256, and the lock file's integrity of the npm tarball).
The copies are committed, so a clean clone and a wheel work with no npm and no network; running
this script again re-creates them byte for byte from the lock file.

    python scripts/vendor-assets.py           # npm ci, then copy (what `make assets` runs)
    python scripts/vendor-assets.py --check   # npm ci in a temporary folder; exit 1 if the
                                              # committed files differ from what it would write

To update a package: change its version in web-assets/package.json, run
`npm install --package-lock-only --ignore-scripts` in web-assets/, then this script; review the
diff of the MANIFEST (sizes) and of the pages that use the package.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "web-assets"
SITE = ROOT / "src" / "innovgraph" / "web" / "static" / "vendor"
TESTS = ROOT / "tests" / "vendor"
MIT_TEXT = """\
Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


@dataclass(frozen=True)
class Package:
    name: str  # the npm name
    folder: Path  # SITE or TESTS
    dir: str  # the folder under it
    files: dict[str, str]  # path in the package -> file name in `dir` (licence files too)
    # A bundle built from its dependencies: their licences go to THIRD-PARTY-LICENSES.txt.
    bundles_dependencies: bool = False


PACKAGES = [
    # The SPARQL editor (YASQE) and results viewer (YASR, table and response plugins): /sparql.
    Package("@zazuko/yasgui", SITE, "yasgui",
            {"build/yasgui.min.js": "yasgui.min.js", "build/yasgui.min.css": "yasgui.min.css"},
            bundles_dependencies=True),
    # The REST API's documentation page (/api): the standalone bundle and its stylesheet.
    Package("swagger-ui-dist", SITE, "swagger-ui-dist",
            {"swagger-ui-bundle.js": "swagger-ui-bundle.js", "swagger-ui.css": "swagger-ui.css",
             "swagger-ui-bundle.js.LICENSE.txt": "swagger-ui-bundle.js.LICENSE.txt",
             "NOTICE": "NOTICE"}),
    # Natural Earth outlines (1:110m) as TopoJSON, for the map of the cities.
    Package("world-atlas", SITE, "world-atlas",
            {"countries-110m.json": "countries-110m.json", "land-110m.json": "land-110m.json"}),
    # Accessibility checks, injected into each page by tests/test_web_accessibility.py only.
    Package("axe-core", TESTS, "axe-core",
            {"axe.min.js": "axe.min.js"}),
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm_ci(workdir: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("vendor-assets: npm is missing (Debian: apt-get install npm).")
    done = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                           "--loglevel=error"], cwd=workdir, check=False)
    if done.returncode != 0:
        sys.exit(f"vendor-assets: `npm ci` failed in {workdir} (exit {done.returncode}).")


def lock_entries(workdir: Path) -> dict[str, dict]:
    return json.loads((workdir / "package-lock.json").read_text())["packages"]


def resolve(lock: dict[str, dict], parent: str, name: str) -> str:
    """The lock path of dependency `name` as seen from package path `parent` (node's lookup:
    the nearest node_modules folder up the tree)."""
    base = parent
    while True:
        candidate = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
        if candidate in lock:
            return candidate
        if not base:
            raise KeyError(f"{name} (needed by {parent}) is not in the lock file")
        head, _, _ = base.rpartition("/node_modules/")
        base = head if "/node_modules/" in base else ""


def dependency_tree(lock: dict[str, dict], root: str) -> list[str]:
    """Every package path `root` depends on, transitively (not `root` itself), sorted."""
    seen: set[str] = set()
    todo = [root]
    while todo:
        path = todo.pop()
        for dep in lock[path].get("dependencies", {}):
            target = resolve(lock, path, dep)
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return sorted(seen)


def licence_texts(package_dir: Path) -> list[tuple[str, bytes]]:
    names = sorted(p.name for p in package_dir.iterdir()
                   if p.is_file() and p.name.lower().startswith(("license", "licence", "copying")))
    return [(n, (package_dir / n).read_bytes()) for n in names]


def build(workdir: Path) -> dict[Path, dict[str, bytes]]:
    """What the vendor folders hold after a copy: {folder: {relative path: bytes}}, the
    MANIFEST included."""
    lock = lock_entries(workdir)
    out: dict[Path, dict[str, bytes]] = {SITE: {}, TESTS: {}}
    rows: dict[Path, list[str]] = {SITE: [], TESTS: []}
    for pkg in PACKAGES:
        key = f"node_modules/{pkg.name}"
        entry = lock[key]
        source = workdir / key
        meta = json.loads((source / "package.json").read_text())
        assert meta["version"] == entry["version"], (pkg.name, meta["version"], entry["version"])
        files = {target: (source / path).read_bytes() for path, target in pkg.files.items()}
        licences = licence_texts(source)
        if licences:
            files.update(licences)
        else:  # @zazuko/yasgui ships no licence file: say what its package.json declares
            files["LICENSE"] = _declared_licence(meta).encode()
        if pkg.bundles_dependencies:
            files["THIRD-PARTY-LICENSES.txt"] = _third_party(workdir, lock, key)
        for name, data in sorted(files.items()):
            out[pkg.folder][f"{pkg.dir}/{name}"] = data
            rows[pkg.folder].append("\t".join([pkg.name, entry["version"], entry.get("license", ""),
                                               f"{pkg.dir}/{name}", str(len(data)), sha256(data),
                                               entry["integrity"]]))
    for folder, lines in rows.items():
        header = ("# Written by scripts/vendor-assets.py from web-assets/package-lock.json; do not "
                  "edit (docs/server.md, \"Vendored assets\").\n"
                  "# package\tversion\tlicence\tfile\tbytes\tsha256\tnpm integrity\n")
        out[folder]["MANIFEST"] = (header + "\n".join(lines) + "\n").encode()
    return out


def _declared_licence(meta: dict) -> str:
    holders = [meta.get("author", "")] + [c.get("name", "") for c in meta.get("contributors", [])]
    holders = [h for h in holders if h]
    return (f"{meta['name']} {meta['version']}: the npm package ships no licence file. Its "
            f"package.json declares the licence {meta['license']}; authors: {', '.join(holders)}; "
            f"source: {meta.get('homepage', '')}.\nThe {meta['license']} licence:\n\n"
            + (MIT_TEXT if meta["license"] == "MIT" else ""))


def _third_party(workdir: Path, lock: dict[str, dict], root: str) -> bytes:
    parts = [f"The bundle of {root.removeprefix('node_modules/')} is built from these npm "
             "packages (its dependency tree in web-assets/package-lock.json); their licences "
             "follow.\n"]
    for path in dependency_tree(lock, root):
        entry = lock[path]
        name = path.rpartition("node_modules/")[2]
        parts.append(f"\n{'=' * 78}\n{name} {entry['version']} ({entry.get('license', '?')})\n"
                     f"{'=' * 78}\n")
        texts = licence_texts(workdir / path)
        if not texts:
            parts.append("(the package ships no licence file)\n")
        for fname, data in texts:
            parts.append(f"--- {fname}\n" + data.decode("utf-8", "replace").rstrip() + "\n")
    return "".join(parts).encode()


def on_disk(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write(tree: dict[Path, dict[str, bytes]]) -> None:
    for folder, files in tree.items():
        if folder.is_dir():
            shutil.rmtree(folder)
        for rel, data in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        print(f"vendor-assets: {len(files)} files, {sum(map(len, files.values())):,} bytes in "
              f"{folder.relative_to(ROOT)}")


def differences(tree: dict[Path, dict[str, bytes]]) -> list[str]:
    problems = []
    for folder, files in tree.items():
        present = on_disk(folder)
        for rel in sorted(set(files) | set(present)):
            where = (folder / rel).relative_to(ROOT)
            if rel not in present:
                problems.append(f"missing: {where}")
            elif rel not in files:
                problems.append(f"not written by the script: {where}")
            elif present[rel] != files[rel]:
                problems.append(f"differs: {where}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="install into a temporary folder and compare with the committed files")
    args = parser.parse_args()
    if not args.check:
        npm_ci(ASSETS)
        write(build(ASSETS))
        return 0
    with tempfile.TemporaryDirectory(prefix="vendor-assets-") as tmp:
        work = Path(tmp)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(ASSETS / name, work / name)
        npm_ci(work)
        problems = differences(build(work))
    for line in problems:
        print(f"vendor-assets: {line}", file=sys.stderr)
    if problems:
        print("vendor-assets: run `make assets` to re-create the vendored files.", file=sys.stderr)
        return 1
    print("vendor-assets: the vendored files are what the lock file gives.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
