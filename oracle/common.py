"""Helpers shared by the oracle modules: where goldens go and how they are written."""
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDENS = os.path.join(ROOT, "Tests", "Goldens")


def golden_dir(area, *parts):
    """Tests/Goldens/<area>/<parts...>, created if missing."""
    path = os.path.join(GOLDENS, area, *parts)
    os.makedirs(path, exist_ok=True)
    return path


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1, sort_keys=False)
        f.write("\n")


def write_npy(path, array):
    """Writes a little-endian .npy file (float32 stays float32)."""
    # np.ascontiguousarray would turn a 0-d array (a scalar variable) into shape (1,).
    np.save(path, np.require(np.asarray(array), requirements="C"), allow_pickle=False)
