"""Deciding the sign-off: exit criteria, verdict, defects, risks, owners, decisions. Rendering is harness.report."""
