"""The build hook that makes the wheel the product (issue 20).

The knowledge files (ontology/, shapes/, queries/, data/ttl/, data/sources/) and the licence,
changelog and citation files live at the repository root, where they are edited and reviewed.
`build_py` copies them into the built package as `innovgraph/knowledge/`, so a wheel carries
them and `innovgraph.project.find_root` falls back to them when no project is given or found.
The repository holds one copy: nothing under src/ duplicates them. An editable install
(`pip install -e .`) copies nothing: it runs from the checkout, which find_root finds first.

Everything else is declared in pyproject.toml; this file only adds the hook (setuptools'
documented way to extend a build command). MANIFEST.in puts the same files in the sdist, so a
wheel built from the sdist carries them too.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
KNOWLEDGE_DIRS = ("ontology", "shapes", "queries", "data/ttl", "data/sources")
KNOWLEDGE_FILES = ("LICENSE", "LICENSE-DATA", "NOTICE-SOURCES.md", "CHANGELOG.md",
                   "CITATION.cff")
IGNORE = shutil.ignore_patterns(".innovgraph-cache", "__pycache__", "*.innovgraph-tmp", "*~")


class BuildWithKnowledge(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "innovgraph" / "knowledge"
        shutil.rmtree(target, ignore_errors=True)
        for name in KNOWLEDGE_DIRS:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, target / name, ignore=IGNORE)
        for name in KNOWLEDGE_FILES:
            if (ROOT / name).is_file():
                shutil.copy2(ROOT / name, target / name)


setup(cmdclass={"build_py": BuildWithKnowledge})
