#!/usr/bin/env python3
"""Generates a large, valid Onus policy for parse benchmarks.

    bench/gen_policy.py --mb 10 --seed 1 --out /tmp/policy-10mb.onus

The file holds one package with a realistic mix of declarations, in the
proportions of the standard library and the example policies: layers with
areas, models, services with ownership statements, shared blocks and `when`
variants, controls, resource mappings with bindings, an organisation, assign /
take / allow / deny statements, rules with quantified expressions, waivers and
tests, with comments between them. Names are unique, so the file is also a
valid package for the loader. The output depends only on --mb and --seed.
"""

import argparse
import random
import sys

LAYERS = ["physical", "network", "virtualization", "host_os", "guest_os", "runtime", "application", "data", "identity"]
AREAS = ["patching", "hardening", "configuration", "backup", "encryption_at_rest", "monitoring", "malware_protection"]
MODELS = ["core.iaas", "core.paas", "core.caas", "core.faas", "core.managed_storage"]
WORDS = ("the of and to a in for is on that by this with you it not or be are from at as your all have new more an "
         "was we will home can us about if page my has search free but our one other do no information time they "
         "site he up may what which their news out use any there see only so his when contact here business who "
         "web also now help get pm view online first am been would how were me services some these click its like "
         "service than find price date back top people had list name just over state year day into email two health "
         "world next used go work last most products music buy data make them should product system post her city "
         "add policy number such please available copyright support message after best software then jan good video "
         "well where info rights public books high school through each links she review years order very privacy").split()


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def target(rng):
    layer = rng.choice(LAYERS)
    return f"{layer}.{rng.choice(AREAS)}" if rng.random() < 0.6 else layer


def targets(rng, n):
    return ", ".join(target(rng) for _ in range(n))


def block(rng, i):
    kind = rng.choices(
        ["service", "layer", "model", "control", "resources", "assign", "take", "allow", "rule", "waive", "test"],
        weights=[30, 5, 3, 6, 5, 12, 4, 4, 8, 4, 6])[0]
    if kind == "service":
        body = [f"  customer: {targets(rng, rng.randint(1, 3))}"]
        if rng.random() < 0.5:
            body.append(f"  provider: {rng.choice(LAYERS)}..{rng.choice(LAYERS)}")
        if rng.random() < 0.3:
            body.append(f"  shared {target(rng)} {{\n    provider \"{words(rng, 6)}\"\n    customer \"{words(rng, 7)}\"\n  }}")
        if rng.random() < 0.3:
            body.append(f"  when launch_type == \"FARGATE\" and tier in {{\"gold\", \"silver\"}} {{ provider: {targets(rng, 2)} }}")
        body.append(f"  source \"https://docs.example.com/service-{i}/security.html\"")
        return f"service svc_{i} \"{words(rng, 3)}\" : {rng.choice(MODELS)} {{\n" + "\n".join(body) + "\n}\n"
    if kind == "layer":
        areas = "\n".join(f"  area area_{i}_{k} \"{words(rng, 4)}\"" for k in range(rng.randint(1, 5)))
        return f"layer layer_{i} \"{words(rng, 3)}\" {{\n{areas}\n}}\n"
    if kind == "model":
        return (f"model model_{i} \"{words(rng, 3)}\" extends {rng.choice(MODELS)} {{\n"
                f"  provider: {targets(rng, 2)}\n  customer: {targets(rng, 2)}\n}}\n")
    if kind == "control":
        return f"control control_{i} \"{words(rng, 3)}\" {{\n  covers {targets(rng, rng.randint(1, 4))}\n}}\n"
    if kind == "resources":
        rows = "\n".join(f"  aws_thing_{i}_{k} -> svc_{i} {{ launch_type = launch_type default \"EC2\" }}"
                         for k in range(rng.randint(1, 4)))
        return f"resources terraform {{\n  \"aws_prefix_{i}_*\" -> svc_{i}\n{rows}\n}}\n"
    if kind == "assign":
        return f"assign team_{i % 7}: {targets(rng, rng.randint(1, 3))} on aws.svc_{i}, aws.svc_{i + 1}\n"
    if kind == "take":
        return f"take {target(rng)} on aws.svc_{i} \"{words(rng, 8)}\"\n"
    if kind == "allow":
        return f"allow aws.svc_{i}, aws.svc_{i + 1}, aws.svc_{i + 2}\ndeny aws.bad_{i} \"{words(rng, 5)}\"\n"
    if kind == "rule":
        level = rng.choice(["advisory", "mandatory", "hard"])
        return (f"rule rule_{i} {level} \"{words(rng, 6)}\" {{\n"
                f"  all s in used_services: team(s, {target(rng)}) != none or owner(s, {target(rng)}) == provider\n}}\n")
    if kind == "waive":
        return f"waive rule_{i} for \"aws_instance.host_{i}\" until 2027-03-31 \"{words(rng, 6)}\"\n"
    return (f"test \"test {i}\" {{\n"
            f"  resource aws_lambda_function \"aws_lambda_function.fn_{i}\" {{ package_type = \"Image\" }}\n"
            f"  expect owner(aws.svc_{i}, {target(rng)}) == customer\n"
            f"  expect all r in resources(aws.lambda): owner(r, runtime.patching) == customer\n}}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10, help="approximate size in MB (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    limit = int(args.mb * 1_000_000)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="\n")
    size = 0
    header = "# Generated by bench/gen_policy.py: a large valid policy for parse benchmarks.\npackage bench\n\nimport aws\n\n"
    out.write(header)
    size += len(header)
    organization = ("organization bench \"Benchmark Corp\" {\n" +
                    "".join(f"  team team_{k} \"Team {k}\" {{ contact \"team{k}@bench.example\" }}\n" for k in range(7)) +
                    "}\n\n")
    out.write(organization)
    size += len(organization)
    i = 0
    while size < limit:
        text = block(rng, i)
        if rng.random() < 0.25:
            text = f"# {words(rng, rng.randint(4, 14))}\n" + text
        text += "\n"
        out.write(text)
        size += len(text.encode("utf-8"))
        i += 1
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
