#!/usr/bin/env python3
"""Validates Onus reports the way CI systems read them.

    validate_report.py sarif FILE    SARIF 2.1.0 schema + GitHub code scanning requirements
    validate_report.py junit FILE    windyroad JUnit.xsd (xmllint) + what GitLab/Jenkins need
    validate_report.py github FILE   GitHub workflow command syntax and escaping
    validate_report.py json FILE     onus's own JSON format (docs/json-output.md) + consistency

Exit status: 0 valid, 1 invalid (every problem printed to stderr), 2 bad usage
or a missing tool. Also usable as a module: validate_sarif(path),
validate_junit(path), validate_github(path) and validate_json(path) return a
list of problems.

Schemas are read from tests/data/schemas/ (no network): see its SOURCES.md.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.normpath(os.path.join(HERE, "..", "data", "schemas"))
SARIF_SCHEMA = os.path.join(SCHEMAS, "sarif-schema-2.1.0.json")
JUNIT_SCHEMA = os.path.join(SCHEMAS, "junit.xsd")
ONUS_JSON_SCHEMA = os.path.join(SCHEMAS, "onus-report-v1.schema.json")

SARIF_LEVELS = {"none", "note", "warning", "error"}
RULE_LEVELS = {"note", "warning", "error"}
SUPPRESSION_KINDS = {"inSource", "external"}
MAX_DESCRIPTION = 1024  # GitHub: shortDescription/fullDescription text
MAX_LOCATIONS = 10      # GitHub keeps the first 10 locations of a result
MAX_TAGS = 20           # GitHub keeps the first 20 tags of a rule
MAX_RESULTS = 25000     # GitHub: results per run
# A URI reference (RFC 3986): unreserved, reserved and percent escapes only.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$")


class UsageError(Exception):
    pass


def _get(obj, *path):
    """obj[path[0]][path[1]]..., or None when any step is missing."""
    for key in path:
        if isinstance(obj, dict) and key in obj:
            obj = obj[key]
        elif isinstance(obj, list) and isinstance(key, int) and 0 <= key < len(obj):
            obj = obj[key]
        else:
            return None
    return obj


def _nonempty_string(value):
    return isinstance(value, str) and value.strip() != ""


# --- SARIF -----------------------------------------------------------------

def _schema_errors(log, schema_path=SARIF_SCHEMA):
    """Problems of `log` against a draft-04 JSON Schema, with the schema's own validator."""
    try:
        import jsonschema
    except ImportError as e:  # pragma: no cover - the machine image has jsonschema 4.26
        raise UsageError("python module jsonschema is missing: %s" % e)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    declared = schema.get("$schema", "")
    if "draft-04" not in declared:
        raise UsageError("expected a draft-04 schema in %s, found %r" % (schema_path, declared))
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    if validator_class is not jsonschema.Draft4Validator:
        raise UsageError("schema %s does not select the draft-04 validator" % schema_path)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    problems = []
    for error in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        problems.append("schema: %s: %s" % (where, error.message))
    return problems


def _check_uri(problems, where, location):
    uri = _get(location, "uri")
    if not _nonempty_string(uri):
        problems.append("%s: artifactLocation.uri is missing or empty" % where)
        return
    if not URI_REFERENCE.match(uri):
        problems.append("%s: artifactLocation.uri %r is not a valid URI reference" % (where, uri))
    if uri.startswith("/"):
        problems.append("%s: artifactLocation.uri %r is an absolute path: use a repo-relative "
                        "path or a file:// URI" % (where, uri))


def _check_region(problems, where, region):
    if not isinstance(region, dict):
        problems.append("%s: region is missing" % where)
        return
    start = region.get("startLine")
    if not isinstance(start, int) or isinstance(start, bool) or start < 1:
        problems.append("%s: region.startLine must be an integer >= 1, got %r" % (where, start))
        return
    end = region.get("endLine")
    if end is not None and end < start:
        problems.append("%s: region.endLine %r is before startLine %r" % (where, end, start))
    column = region.get("startColumn")
    end_column = region.get("endColumn")
    if column is not None and end_column is not None and (end is None or end == start) and end_column < column:
        problems.append("%s: region.endColumn %r is before startColumn %r" % (where, end_column, column))


def _check_rule(problems, where, rule):
    if not _nonempty_string(rule.get("id")):
        problems.append("%s: rule has no id" % where)
    for field in ("shortDescription", "fullDescription"):
        text = _get(rule, field, "text")
        if not _nonempty_string(text):
            problems.append("%s: %s.text is missing or empty" % (where, field))
        elif len(text) > MAX_DESCRIPTION:
            problems.append("%s: %s.text has %d characters (GitHub allows %d)"
                            % (where, field, len(text), MAX_DESCRIPTION))
    if not _nonempty_string(_get(rule, "help", "text")):
        problems.append("%s: help.text is missing or empty" % where)
    level = _get(rule, "defaultConfiguration", "level")
    if level not in RULE_LEVELS:
        problems.append("%s: defaultConfiguration.level must be one of %s, got %r"
                        % (where, sorted(RULE_LEVELS), level))
    severity = _get(rule, "properties", "security-severity")
    if not isinstance(severity, str):
        problems.append("%s: properties.security-severity must be a string, got %r" % (where, severity))
    else:
        try:
            value = float(severity)
            if not 0.0 <= value <= 10.0:
                raise ValueError
        except ValueError:
            problems.append("%s: properties.security-severity %r is not a number from 0.0 to 10.0"
                            % (where, severity))
    tags = _get(rule, "properties", "tags")
    if tags is not None:
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            problems.append("%s: properties.tags must be an array of strings" % where)
        elif len(tags) > MAX_TAGS:
            problems.append("%s: %d tags (GitHub keeps %d)" % (where, len(tags), MAX_TAGS))


def _check_result(problems, where, result, rule_ids, rules):
    rule_id = result.get("ruleId")
    if not _nonempty_string(rule_id):
        problems.append("%s: ruleId is missing" % where)
    elif rule_id not in rule_ids:
        problems.append("%s: ruleId %r is not in tool.driver.rules" % (where, rule_id))
    index = result.get("ruleIndex")
    if index is not None and (not isinstance(index, int) or not 0 <= index < len(rules)
                              or rules[index].get("id") != rule_id):
        problems.append("%s: ruleIndex %r does not point at rule %r" % (where, index, rule_id))
    if "level" in result and result["level"] not in SARIF_LEVELS:
        problems.append("%s: level %r is not a SARIF level" % (where, result["level"]))
    if not _nonempty_string(_get(result, "message", "text")):
        problems.append("%s: message.text is missing or empty" % where)
    locations = result.get("locations")
    if not isinstance(locations, list) or not locations:
        problems.append("%s: locations is missing or empty (GitHub needs one)" % where)
    else:
        if len(locations) > MAX_LOCATIONS:
            problems.append("%s: %d locations (GitHub keeps %d)" % (where, len(locations), MAX_LOCATIONS))
        for i, location in enumerate(locations):
            lwhere = "%s/locations/%d" % (where, i)
            physical = _get(location, "physicalLocation")
            if not isinstance(physical, dict):
                problems.append("%s: physicalLocation is missing" % lwhere)
                continue
            _check_uri(problems, lwhere, physical.get("artifactLocation"))
            _check_region(problems, lwhere, physical.get("region"))
            for j, logical in enumerate(location.get("logicalLocations") or []):
                if not _nonempty_string(_get(logical, "fullyQualifiedName")):
                    problems.append("%s/logicalLocations/%d: fullyQualifiedName is missing" % (lwhere, j))
    fingerprints = result.get("partialFingerprints")
    if not isinstance(fingerprints, dict) or not fingerprints:
        problems.append("%s: partialFingerprints is missing or empty" % where)
    elif not all(_nonempty_string(v) for v in fingerprints.values()):
        problems.append("%s: partialFingerprints values must be non-empty strings" % where)
    for j, suppression in enumerate(result.get("suppressions") or []):
        if suppression.get("kind") not in SUPPRESSION_KINDS:
            problems.append("%s/suppressions/%d: kind %r is not inSource or external"
                            % (where, j, suppression.get("kind")))


def validate_sarif(path):
    """Problems of a SARIF file, [] when valid."""
    try:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        return ["cannot read %s as JSON: %s" % (path, e)]
    problems = _schema_errors(log)
    if log.get("version") != "2.1.0":
        problems.append("version must be \"2.1.0\", got %r" % log.get("version"))
    if not _nonempty_string(log.get("$schema")):
        problems.append("$schema is missing")
    runs = log.get("runs")
    if not isinstance(runs, list) or not runs:
        problems.append("runs is missing or empty")
        return problems
    for r, run in enumerate(runs):
        rwhere = "runs/%d" % r
        driver = _get(run, "tool", "driver")
        if not isinstance(driver, dict) or not _nonempty_string(driver.get("name")):
            problems.append("%s: tool.driver.name is missing" % rwhere)
            driver = driver if isinstance(driver, dict) else {}
        rules = driver.get("rules") or []
        rule_ids = set()
        for i, rule in enumerate(rules):
            rule_where = "%s/tool/driver/rules/%d" % (rwhere, i)
            _check_rule(problems, rule_where, rule)
            if rule.get("id") in rule_ids:
                problems.append("%s: duplicate rule id %r" % (rule_where, rule.get("id")))
            rule_ids.add(rule.get("id"))
        results = run.get("results")
        if not isinstance(results, list):
            problems.append("%s: results is missing" % rwhere)
            continue
        if len(results) > MAX_RESULTS:
            problems.append("%s: %d results (GitHub accepts %d per run)" % (rwhere, len(results), MAX_RESULTS))
        fingerprints = {}
        for i, result in enumerate(results):
            where = "%s/results/%d" % (rwhere, i)
            _check_result(problems, where, result, rule_ids, rules)
            key = json.dumps(result.get("partialFingerprints"), sort_keys=True)
            if key in fingerprints:
                problems.append("%s: same partialFingerprints as results/%d (alerts would merge)"
                                % (where, fingerprints[key]))
            fingerprints.setdefault(key, i)
    return problems


# --- JUnit -----------------------------------------------------------------

def _int_attribute(problems, where, element, name):
    value = element.get(name)
    try:
        return int(value)
    except (TypeError, ValueError):
        problems.append("%s: attribute %s=%r is not an integer" % (where, name, value))
        return None


def validate_junit(path):
    """Problems of a JUnit XML file, [] when valid."""
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        raise UsageError("xmllint is missing (Debian package libxml2-utils)")
    problems = []
    run = subprocess.run([xmllint, "--noout", "--schema", JUNIT_SCHEMA, path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        lines = [l for l in run.stderr.splitlines() if l.strip() and not l.endswith(" validates")]
        problems.extend("xmllint: " + l for l in lines or ["exit status %d" % run.returncode])
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        problems.append("cannot parse %s: %s" % (path, e))
        return problems
    if root.tag != "testsuites":
        problems.append("root element is <%s>, expected <testsuites>" % root.tag)
        return problems
    seen = {}
    for s, suite in enumerate(root.findall("testsuite")):
        where = "testsuite[%d] %r" % (s, suite.get("name"))
        suite_id = _int_attribute(problems, where, suite, "id")
        if suite_id is not None and suite_id != s:
            problems.append("%s: id=%d, expected %d (ids count from 0)" % (where, suite_id, s))
        cases = suite.findall("testcase")
        failures = sum(1 for c in cases if c.find("failure") is not None)
        errors = sum(1 for c in cases if c.find("error") is not None)
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        for name, actual in (("tests", len(cases)), ("failures", failures), ("errors", errors),
                             ("skipped", skipped)):
            if suite.get(name) is None and name == "skipped":
                continue
            declared = _int_attribute(problems, where, suite, name)
            if declared is not None and declared != actual:
                problems.append("%s: %s=%d but the suite holds %d" % (where, name, declared, actual))
        for case in cases:
            key = (case.get("classname"), case.get("name"))
            if key in seen:
                problems.append("%s: test case classname=%r name=%r repeats %s (GitLab drops duplicates)"
                                % (where, key[0], key[1], seen[key]))
            seen.setdefault(key, where)
            for child in case:
                if child.tag in ("failure", "error") and not (child.get("message") or "").strip():
                    problems.append("%s: <%s> of %r has no message" % (where, child.tag, key[1]))
    return problems


# --- GitHub workflow commands ----------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")
PROPERTY_NAMES = {"file", "line", "endLine", "col", "endColumn", "title"}
BAD_ESCAPE = re.compile(r"%(?!25|0D|0A|3A|2C)")


def validate_github(path):
    """Problems of a file of GitHub workflow commands, [] when valid."""
    problems = []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if "\r" in text:
        problems.append("raw carriage return in the output")
    for n, line in enumerate(text.split("\n"), 1):
        if not line.startswith("::"):
            continue
        match = COMMAND.match(line)
        if not match:
            problems.append("line %d: not a valid annotation command: %r" % (n, line))
            continue
        properties, message = match.group(2), match.group(3)
        if BAD_ESCAPE.search(message) or re.search(r"%(3A|2C)", message):
            problems.append("line %d: message has an unescaped %% or a property escape" % n)
        if properties:
            names = []
            for item in properties.split(","):
                name, eq, value = item.partition("=")
                if not eq or name not in PROPERTY_NAMES:
                    problems.append("line %d: bad property %r" % (n, item))
                    continue
                names.append(name)
                if BAD_ESCAPE.search(value):
                    problems.append("line %d: property %s has an unescaped %%" % (n, name))
                if name in ("line", "endLine", "col", "endColumn") and not value.isdigit():
                    problems.append("line %d: property %s=%r is not a number" % (n, name, value))
            if ("line" in names or "col" in names) and "file" not in names:
                problems.append("line %d: line/col without file" % n)
            if len(set(names)) != len(names):
                problems.append("line %d: repeated property" % n)
    return problems


# --- onus JSON ---------------------------------------------------------------

def validate_json(path):
    """Problems of an `onus check --format json` file, [] when valid."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return ["cannot read %s as JSON: %s" % (path, e)]
    problems = _schema_errors(doc, ONUS_JSON_SCHEMA)
    if problems:
        return problems
    # The summary counts what the findings say.
    findings = doc["findings"]
    summary = doc["summary"]
    for level, field in (("error", "errors"), ("warning", "warnings"), ("note", "notes")):
        actual = sum(1 for f in findings if f["level"] == level and not f["waived"])
        if summary[field] != actual:
            problems.append("summary.%s=%d but %d unwaived %s findings are listed"
                            % (field, summary[field], actual, level))
    waived = sum(1 for f in findings if f["waived"])
    if summary["waived"] != waived:
        problems.append("summary.waived=%d but %d waived findings are listed" % (summary["waived"], waived))
    if summary["failed"] != (summary["verdict"] == "failed"):
        problems.append("summary.failed and summary.verdict disagree")
    for i, finding in enumerate(findings):
        if finding["waived"] != (finding["waiver"] is not None):
            problems.append("findings/%d: waived and waiver disagree" % i)
    return problems


VALIDATORS = {"sarif": validate_sarif, "junit": validate_junit, "github": validate_github, "json": validate_json}


def main(argv):
    if len(argv) != 3 or argv[1] not in VALIDATORS:
        sys.stderr.write("usage: validate_report.py sarif|junit|github|json FILE\n")
        return 2
    kind, path = argv[1], argv[2]
    try:
        problems = VALIDATORS[kind](path)
    except UsageError as e:
        sys.stderr.write("validate_report.py: %s\n" % e)
        return 2
    for problem in problems:
        sys.stderr.write("%s: %s\n" % (path, problem))
    if problems:
        sys.stderr.write("%s: INVALID %s (%d problems)\n" % (path, kind, len(problems)))
        return 1
    print("%s: valid %s" % (path, kind))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
