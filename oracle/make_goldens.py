"""Writes ModelSpec's golden files with real TensorFlow, the project's oracle.

Each area of the project has a module here that builds the models or files of
that area in TensorFlow and writes what TensorFlow produced under
Tests/Goldens/<area>/. Run it through scripts/oracle, which makes the virtual
environment; the Swift tests read only the committed files, so CI never needs
TensorFlow.

    scripts/oracle            # every area
    scripts/oracle ops seeds  # only these areas
"""
import importlib
import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

AREAS = [name[:-3] for name in sorted(os.listdir(os.path.dirname(__file__)))
         if name.endswith(".py") and name not in ("make_goldens.py", "common.py")]


def main(argv):
    wanted = argv or AREAS
    unknown = [a for a in wanted if a not in AREAS]
    if unknown:
        sys.exit(f"unknown area(s): {', '.join(unknown)}; known: {', '.join(AREAS)}")
    for area in wanted:
        print(f"== {area}")
        importlib.import_module(area).main()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main(sys.argv[1:])
