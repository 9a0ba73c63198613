"""Developer commands against the local stack.

python -m local.cli token --role operator --agency environment
python -m local.cli device --id aq-001 --kind air_quality --lat 51.5072 --lon -0.1276 [--agency environment]
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chalicelib.domain.principal import Role
from local.api_client import GraphQLFailed, StackNotRunning, running_api
from local.issuer import mint

KIND_AGENCY: dict[str, str] = {
    "air_quality": "environment",
    "noise": "environment",
    "multi": "environment",
    "odour": "sanitation",
    "water_level": "utilities",
    "traffic": "transport",
}


def token_command(args: argparse.Namespace) -> int:
    print(mint(args.agency, args.role, subject=args.subject, ttl_s=args.ttl, crew_id=args.crew_id))
    return 0


def device_command(args: argparse.Namespace) -> int:
    agency = args.agency or KIND_AGENCY[args.kind]
    device: dict[str, Any] = {
        "deviceId": args.id,
        "kind": args.kind,
        "lat": args.lat,
        "lon": args.lon,
        "expectedIntervalS": args.interval,
        "noiseZone": args.noise_zone,
    }
    if args.alarm_levels:
        advisory, warning, severe = (float(level) for level in args.alarm_levels.split(","))
        device["alarmLevelsCm"] = {"advisory": advisory, "warning": warning, "severe": severe}
    api = running_api()
    if not api.is_healthy():
        print(
            f"The local stack is not running at {api.base_url}: start it with `make serve` (or PORT=…).",
            file=sys.stderr,
        )
        return 2
    secret = api.register_device(mint(agency, [Role.ADMIN.value], subject=f"dev-admin-{agency}"), device)
    print(f"Registered {args.id} ({args.kind}) for {agency}.")
    print(f"Signing secret (shown once, keep it): {secret}")
    return 0


def webhook_secret_command(args: argparse.Namespace) -> int:
    """The secret a city system checks Concord's webhook signatures with (hex). Against the running local
    stack, or, when none runs, the AWS account the environment points at (CONCORD_STAGE, AWS_*)."""
    from dataclasses import replace

    from chalicelib.adapters.aws.clients import aws_client
    from chalicelib.adapters.keyring import DerivedKeyring, load_master_key
    from chalicelib.settings import Settings
    from local.paths import read_stack_description

    settings = Settings.from_env()
    description = read_stack_description()
    if description is not None:
        from local.aws import DUMMY_CREDENTIALS
        from local.environment import apply_environment

        apply_environment(dict(DUMMY_CREDENTIALS))
        settings = replace(
            settings,
            stage="local",
            region=description["region"],
            endpoint_url=description["aws_endpoint_url"],
        )
    secrets = aws_client(settings, "secretsmanager")
    keyring = DerivedKeyring(lambda: load_master_key(secrets, settings))
    print(keyring.derive(f"webhook:{args.target}").hex())
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m local.cli", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="print a signed dev JWT")
    token.add_argument("--role", action="append", choices=[role.value for role in Role], required=True)
    token.add_argument("--agency", required=True)
    token.add_argument("--subject")
    token.add_argument("--crew-id")
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    token.set_defaults(run=token_command)
    device = commands.add_parser("device", help="register a device through the running stack")
    device.add_argument("--id", required=True)
    device.add_argument("--kind", required=True, choices=sorted(KIND_AGENCY))
    device.add_argument("--lat", type=float, required=True)
    device.add_argument("--lon", type=float, required=True)
    device.add_argument("--agency", help="default: the agency that owns the kind's readings")
    device.add_argument("--interval", type=int, default=60, help="expected seconds between readings")
    device.add_argument(
        "--noise-zone", default="mixed", choices=["residential", "mixed", "commercial", "industrial"]
    )
    device.add_argument("--alarm-levels", help="water level gauges: advisory,warning,severe in cm")
    device.set_defaults(run=device_command)
    secret = commands.add_parser("webhook-secret", help="print the signing secret of a webhook target")
    secret.add_argument("--target", required=True, help="e.g. traffic-signals")
    secret.set_defaults(run=webhook_secret_command)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except StackNotRunning as error:
        print(f"{error}: start it with `make serve`.", file=sys.stderr)
        return 2
    except GraphQLFailed as error:
        print(f"The API refused: {error}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
