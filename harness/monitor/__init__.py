"""`uat monitor daily|weekly|quarterly`: the integration guide's post-go-live monitoring, read-only by construction,
with a history and a trend page in the reports folder (docs/monitoring.md).

Deliberately empty: the command line imports `harness.monitor.result` for its choices, and `uat --help` must not
load the clients, the engines and the twin. Import from the modules: run (run_monitor), target (monitor_target),
daily / weekly / quarterly (the checks), history, trend.
"""
