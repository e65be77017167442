"""sitegen: a static job-board site generator.

The build is one pipeline, one direction (see ``build.py``):
config -> sources -> validated postings -> site model -> rendered files -> written output.
"""

__version__ = "0.1.0"
