# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration of novamm's documentation: scripts/docs.sh builds
# it (make htmldocs, and lint with -W). The kernel-doc directive is the
# kernel's own Sphinx extension, from the tree that NOVAMM_KTREE names,
# and it calls scripts/kdoc.sh, which fails on any kernel-doc warning.
import os
import sys

top = os.environ["NOVAMM_TOP"]
sys.path.insert(0, os.path.join(os.environ["NOVAMM_KTREE"], "Documentation", "sphinx"))

project = "novamm"
master_doc = "index"
extensions = ["kerneldoc"]
kerneldoc_bin = os.path.join(top, "scripts", "kdoc.sh")
kerneldoc_srctree = top
html_theme = "alabaster"

# Kernel annotations that Sphinx's C parser must read as attributes.
c_id_attributes = [
    "__iomem",
    "__user",
    "__must_check",
    "__maybe_unused",
    "__printf",
    "__always_inline",
    "noinline",
]
c_paren_attributes = ["__printf", "__aligned", "__attribute__"]
