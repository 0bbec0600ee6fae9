"""Salesforce formula syntax (validation rules, flow entry conditions, formula fields), compiled once, run per record."""

from .engine import FormulaContext, FormulaError, compile_formula

__all__ = ["FormulaContext", "FormulaError", "compile_formula"]
