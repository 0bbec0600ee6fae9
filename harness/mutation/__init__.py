"""Configuration mutation testing: single-change mutants of an org fixture, each judged by whether the run names it.

`make mutants` (`python -m harness.mutation`) prints the mutation score, killed / (total - invalid), and every
survivor with the reason it survived. docs/mutation.md explains the classes and how a kill is decided.
"""
