"""The release's validators, all offline: the data package (Frictionless, its hashes included),
``CITATION.cff`` (the CFF 1.2.0 JSON Schema shipped in ``schemas/``) and the crate
(``roc-validator`` at the REQUIRED level).

Run offline, roc-validator cannot fetch the RO-Crate JSON-LD context, skips most of its checks
and may still report a pass. Its HTTP cache is therefore seeded, in a temporary folder, with the
context the ``rocrate`` wheel ships (the one the crate names), and a skipped check is a failure;
the one exception is the check that a *detached* crate's files are on the web, which does not
apply to a crate whose files are inside it (this one).
"""
from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
CFF_SCHEMA = SCHEMAS / "cff-1.2.0.schema.json"
PROFILE = "ro-crate-1.3"  # the version the rocrate package writes, whose context its wheel ships
NOT_APPLICABLE = "detached package context is unavailable"  # the skip of a check for detached crates only


@dataclass(frozen=True)
class CrateReport:
    """What roc-validator did: checks executed and skipped, and one line per problem."""

    executed: int
    skipped: int
    not_applicable: int
    problems: list[str]


def data_package_problems(descriptor: Path) -> list[str]:
    """One line per Frictionless error of the data package, its hashes included."""
    from frictionless import Package

    report = Package(str(descriptor)).validate()
    return [f"{descriptor.parent.name}/{task.name}: {error.type}: {error.message}"
            for task in report.tasks for error in task.errors] + [
            f"{descriptor}: {error.message}" for error in report.errors]


def citation_problems(cff: Path) -> list[str]:
    """One line per way ``CITATION.cff`` breaks the CFF 1.2.0 schema."""
    import jsonschema

    try:
        document = json.loads(json.dumps(yaml.safe_load(cff.read_text(encoding="utf-8")), default=str))
    except (OSError, yaml.YAMLError) as exc:
        return [f"{cff.name}: cannot be read ({type(exc).__name__})"]
    validator = jsonschema.Draft7Validator(json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))
    return [f"{cff.name}, field {'.'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))]


def _seed(cache: Path, crate_dir: Path) -> None:
    """Put the JSON-LD context the crate names into roc-validator's HTTP cache, from the rocrate wheel."""
    import requests
    import requests_cache
    import rocrate
    from urllib3 import HTTPResponse

    url = json.loads((crate_dir / "ro-crate-metadata.json").read_text(encoding="utf-8"))["@context"]
    context = (Path(rocrate.__file__).parent / "data" / "ro-crate.jsonld").read_bytes()
    if json.loads(context).get("@id") != url:
        raise ValueError(f"the rocrate wheel ships the context {json.loads(context).get('@id')}, the crate names {url}")
    session = requests_cache.CachedSession(cache_name=str(cache), backend="sqlite", expire_after=-1)
    response = requests.Response()
    response.status_code, response.url, response._content = 200, url, context
    response.headers["Content-Type"] = "application/ld+json"
    response.request = requests.Request("GET", url).prepare()
    response.raw = HTTPResponse(body=io.BytesIO(context), headers=dict(response.headers), status=200,
                                preload_content=False, request_url=url)
    session.cache.save_response(response)
    session.close()


def crate_report(crate_dir: Path) -> CrateReport:
    """Validate the crate in ``crate_dir`` offline, at the REQUIRED level, against RO-Crate 1.3; a check
    of the profile that was skipped or did not run is a problem too."""
    from rocrate_validator import services
    from rocrate_validator.models import Severity, ValidationSettings

    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "http_cache"
        _seed(cache, crate_dir)
        settings = ValidationSettings(rocrate_uri=str(crate_dir), profile_identifier=PROFILE,
                                      requirement_severity=Severity.REQUIRED, offline=True, cache_path=cache,
                                      enforce_availability=True, packaging_mode="attached", extra_checks=True)
        result = services.validate(settings)
    details = result.skipped_check_details
    skipped = [d for d in details if d.message != NOT_APPLICABLE]
    problems = [f"ro-crate-metadata.json: {issue.check.identifier}: {issue.message}"
                for issue in result.get_issues(Severity.REQUIRED)]
    problems += [f"ro-crate-metadata.json: check {d.check.identifier} was skipped ({d.message})" for d in skipped]
    accounted = {check.identifier for check in result.executed_checks} | {d.check.identifier for d in details}
    problems += [f"ro-crate-metadata.json: check {identifier} did not run" for identifier in required_checks(PROFILE)
                 if identifier not in accounted]
    return CrateReport(len(result.executed_checks), len(skipped), len(details) - len(skipped), problems)


def required_checks(profile: str) -> list[str]:
    """Every check the profile (with the profiles it inherits) runs at the REQUIRED level."""
    from rocrate_validator import services
    from rocrate_validator.models import Severity

    checks = services.get_profile(profile).get_effective_requirement_checks()
    return sorted(effective.check.identifier for effective in checks
                  if effective.check.severity >= Severity.REQUIRED)


def release_problems(folder: Path) -> tuple[list[str], str]:
    """Every validator on an unpacked release ``folder``: the problems, and a one-line summary."""
    problems = data_package_problems(folder / "source" / "data" / "datapackage.json")
    problems += citation_problems(folder / "CITATION.cff")
    crate = crate_report(folder)
    problems += crate.problems
    summary = (f"data package valid (hashes checked), CITATION.cff valid (CFF 1.2.0), crate valid at REQUIRED "
               f"({crate.executed} checks run, {crate.skipped} skipped, {crate.not_applicable} not applicable "
               "to a crate that holds its files)")
    return problems, summary
