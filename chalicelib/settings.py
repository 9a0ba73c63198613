"""One settings object, read from environment variables. Only endpoints differ between local and AWS."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

from chalicelib.resources import physical_name


@dataclass(frozen=True)
class Settings:
    stage: str = "local"
    region: str = "eu-west-2"
    endpoint_url: str | None = None  # the embedded stack's AWS; None in AWS
    local_mode: bool = False  # GraphiQL on GET, dev issuer
    jwks_url: str = ""  # https://… in AWS (Cognito), file://… for the local issuer
    jwt_issuer: str = ""
    jwt_audience: str = ""
    city_timezone: str = "Europe/London"
    max_body_bytes: int = 256 * 1024
    readings_ttl_days: int = 30
    upload_max_bytes: int = 8 * 1024 * 1024  # one still or burst, as presigned and as analysed
    upload_expiry_s: int = 300  # how long a presigned upload stays valid
    max_frame_pixels: int = 4096 * 4096  # decompression-bomb cap, checked before pixels are decoded
    inference_threads: int = 2  # onnxruntime intra-op threads
    model_cache_dir: str = "/tmp/concord-models"  # Lambda's only writable place
    console_url: str = "http://127.0.0.1:8000"  # deep links in notifications: {console_url}/incidents/{id}
    timers_target_arn: str = ""  # the timers function, target of EventBridge Scheduler one-time schedules
    scheduler_role_arn: str = ""  # the role EventBridge Scheduler assumes to invoke it
    names: dict[str, str] = field(default_factory=dict)

    def name(self, logical: str) -> str:
        """Physical name of a table, queue, bucket or secret described in resources.json."""
        return self.names.get(logical) or physical_name(self.stage, logical)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        stage = env.get("CONCORD_STAGE", "local")
        return cls(
            stage=stage,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-2",
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            local_mode=env.get("CONCORD_LOCAL_MODE", "false").lower() == "true",
            jwks_url=env.get("CONCORD_JWKS_URL", ""),
            jwt_issuer=env.get("CONCORD_JWT_ISSUER", ""),
            jwt_audience=env.get("CONCORD_JWT_AUDIENCE", "concord"),
            city_timezone=env.get("CONCORD_CITY_TIMEZONE", "Europe/London"),
            max_body_bytes=int(env.get("CONCORD_MAX_BODY_BYTES", str(256 * 1024))),
            readings_ttl_days=int(env.get("CONCORD_READINGS_TTL_DAYS", "30")),
            upload_max_bytes=int(env.get("CONCORD_UPLOAD_MAX_BYTES", str(8 * 1024 * 1024))),
            upload_expiry_s=int(env.get("CONCORD_UPLOAD_EXPIRY_S", "300")),
            max_frame_pixels=int(env.get("CONCORD_MAX_FRAME_PIXELS", str(4096 * 4096))),
            inference_threads=int(env.get("CONCORD_INFERENCE_THREADS", "2")),
            model_cache_dir=env.get("CONCORD_MODEL_CACHE_DIR", "/tmp/concord-models"),
            console_url=env.get("CONCORD_CONSOLE_URL", "http://127.0.0.1:8000"),
            timers_target_arn=env.get("CONCORD_TIMERS_TARGET_ARN", ""),
            scheduler_role_arn=env.get("CONCORD_SCHEDULER_ROLE_ARN", ""),
            names={
                key.removeprefix("CONCORD_NAME_").lower().replace("_", "-"): value
                for key, value in env.items()
                if key.startswith("CONCORD_NAME_")
            },
        )


@cache
def current_settings() -> Settings:
    return Settings.from_env()
