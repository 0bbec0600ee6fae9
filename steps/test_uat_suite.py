"""Binds every feature file under features/ to the step definitions: the UAT suite."""

from pytest_bdd import scenarios

scenarios("../features")
