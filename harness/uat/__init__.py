"""The UAT library the step definitions call: synced record pairs, fresh field values, sync-rule checks.

Steps stay one call deep; everything a step needs to know about the platforms lives here or below.
"""
