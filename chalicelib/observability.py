"""Powertools Logger (JSON, correlation id), Metrics (EMF) and Tracer shared by every handler.

Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE;
POWERTOOLS_TRACE_DISABLED=true switches X-Ray off on the local stack and in tests.
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics, Tracer

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "concord")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Concord")

logger = Logger()
metrics = Metrics()
tracer = Tracer()
