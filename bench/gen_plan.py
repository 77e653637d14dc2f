#!/usr/bin/env python3
"""Generates a synthetic `terraform show -json` plan for benchmarks.

    bench/gen_plan.py --resources 100000 --seed 1 --out /tmp/plan-100k.json

The plan has the shape Terraform 1.x writes (format_version 1.2, one line):
planned_values with root resources and nested child_modules, resource_changes
with before/after/after_unknown/sensitive objects, prior_state for resources
that already exist, a small configuration and a timestamp. Resources are of
mixed AWS types with realistic attribute objects (ECS services with EC2 and
FARGATE launch types, Lambda functions with Zip and Image packages, S3
buckets with encryption blocks, RDS, IAM roles with JSON policy strings...),
actions are mostly no-op with updates, creates, deletes and replaces mixed
in, and about 3% are data sources. 100,000 resources give about 270 MB.
The output depends only on --resources and --seed.
"""

import argparse
import json
import random
import sys

REGIONS = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"]
TEAMS = ["payments", "identity", "search", "platform", "data", "growth", "risk"]
ENVS = ["prod", "staging", "dev"]


def dumps(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=False)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def hexid(self, n=17):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def account(self):
        return str(self.r.randint(100000000000, 999999999999))

    def tags(self, name):
        t = {
            "Name": name,
            "team": self.r.choice(TEAMS),
            "env": self.r.choice(ENVS),
            "managed-by": "terraform",
        }
        if self.r.random() < 0.4:
            t["data-classification"] = self.r.choice(["public", "internal", "confidential", "restricted"])
        return t

    def subnets(self, k):
        return ["subnet-" + self.hexid() for _ in range(k)]

    # -- attribute objects per type ------------------------------------------------
    def aws_instance(self, name):
        return {
            "ami": "ami-" + self.hexid(),
            "arn": "arn:aws:ec2:%s:%s:instance/i-%s" % (self.r.choice(REGIONS), self.account(), self.hexid()),
            "associate_public_ip_address": self.r.random() < 0.2,
            "availability_zone": self.r.choice(REGIONS) + self.r.choice("abc"),
            "ebs_optimized": self.r.random() < 0.7,
            "iam_instance_profile": name + "-profile",
            "id": "i-" + self.hexid(),
            "instance_type": self.r.choice(["t3.micro", "t3.large", "m5.xlarge", "c6g.2xlarge", "r6i.4xlarge"]),
            "key_name": None,
            "metadata_options": [{"http_endpoint": "enabled", "http_put_response_hop_limit": self.r.choice([1, 2]),
                                  "http_tokens": self.r.choice(["required", "optional"]),
                                  "instance_metadata_tags": "disabled"}],
            "monitoring": self.r.random() < 0.5,
            "root_block_device": [{"delete_on_termination": True, "encrypted": self.r.random() < 0.8,
                                   "iops": 3000, "throughput": 125, "volume_size": self.r.choice([8, 20, 50, 100]),
                                   "volume_type": "gp3"}],
            "subnet_id": self.subnets(1)[0],
            "tags": self.tags(name),
            "tenancy": "default",
            "user_data": None,
            "vpc_security_group_ids": ["sg-" + self.hexid() for _ in range(self.r.randint(1, 3))],
        }

    def aws_s3_bucket(self, name):
        bucket = "%s-%s-%s" % (self.r.choice(TEAMS), name.replace("_", "-"), self.hexid(8))
        return {
            "acl": self.r.choice(["private", "private", "log-delivery-write", "public-read"]),
            "arn": "arn:aws:s3:::" + bucket,
            "bucket": bucket,
            "bucket_domain_name": bucket + ".s3.amazonaws.com",
            "force_destroy": False,
            "hosted_zone_id": "Z3AQBSTGFYJSTF",
            "id": bucket,
            "object_lock_enabled": False,
            "region": self.r.choice(REGIONS),
            "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [
                {"kms_master_key_id": "", "sse_algorithm": self.r.choice(["AES256", "aws:kms"])}],
                "bucket_key_enabled": self.r.random() < 0.5}]}],
            "tags": self.tags(bucket),
            "versioning": [{"enabled": self.r.random() < 0.7, "mfa_delete": False}],
        }

    def aws_ecs_service(self, name):
        launch = self.r.choice(["EC2", "FARGATE"])
        return {
            "cluster": "arn:aws:ecs:%s:%s:cluster/%s" % (self.r.choice(REGIONS), self.account(), self.r.choice(TEAMS)),
            "deployment_circuit_breaker": [{"enable": True, "rollback": True}],
            "deployment_controller": [{"type": "ECS"}],
            "deployment_maximum_percent": 200,
            "deployment_minimum_healthy_percent": 100,
            "desired_count": self.r.randint(1, 12),
            "enable_execute_command": self.r.random() < 0.3,
            "id": "arn:aws:ecs:service/" + name,
            "launch_type": launch,
            "name": name,
            "network_configuration": [{"assign_public_ip": self.r.random() < 0.1, "security_groups": ["sg-" + self.hexid()],
                                       "subnets": self.subnets(3)}],
            "platform_version": "LATEST" if launch == "FARGATE" else "",
            "propagate_tags": "SERVICE",
            "scheduling_strategy": "REPLICA",
            "tags": self.tags(name),
            "task_definition": "arn:aws:ecs:task-definition/%s:%d" % (name, self.r.randint(1, 300)),
        }

    def aws_lambda_function(self, name):
        image = self.r.random() < 0.3
        v = {
            "architectures": [self.r.choice(["x86_64", "arm64"])],
            "arn": "arn:aws:lambda:%s:%s:function:%s" % (self.r.choice(REGIONS), self.account(), name),
            "description": "Handles %s events" % name,
            "environment": [{"variables": {"LOG_LEVEL": "info", "TABLE": name + "-table", "STAGE": self.r.choice(ENVS)}}],
            "function_name": name,
            "memory_size": self.r.choice([128, 256, 512, 1024, 2048]),
            "package_type": "Image" if image else "Zip",
            "role": "arn:aws:iam::%s:role/%s-lambda" % (self.account(), name),
            "tags": self.tags(name),
            "timeout": self.r.choice([3, 10, 30, 60, 900]),
            "tracing_config": [{"mode": self.r.choice(["Active", "PassThrough"])}],
        }
        if image:
            v["image_uri"] = "%s.dkr.ecr.eu-west-1.amazonaws.com/%s:%s" % (self.account(), name, self.hexid(12))
        else:
            v["handler"] = "index.handler"
            v["runtime"] = self.r.choice(["python3.12", "nodejs20.x", "java21", "provided.al2023"])
            v["s3_bucket"] = "artifacts-" + self.hexid(8)
            v["s3_key"] = "%s/%s.zip" % (name, self.hexid(12))
        return v

    def aws_db_instance(self, name):
        return {
            "allocated_storage": self.r.choice([20, 100, 500]),
            "arn": "arn:aws:rds:%s:%s:db:%s" % (self.r.choice(REGIONS), self.account(), name),
            "backup_retention_period": self.r.choice([0, 7, 35]),
            "db_subnet_group_name": name + "-subnets",
            "deletion_protection": self.r.random() < 0.6,
            "engine": self.r.choice(["postgres", "mysql", "aurora-postgresql"]),
            "engine_version": self.r.choice(["15.4", "8.0.35", "14.9"]),
            "identifier": name,
            "instance_class": self.r.choice(["db.t3.medium", "db.r6g.large", "db.m6i.xlarge"]),
            "kms_key_id": "arn:aws:kms:key/" + self.hexid(32),
            "multi_az": self.r.random() < 0.5,
            "publicly_accessible": self.r.random() < 0.05,
            "storage_encrypted": self.r.random() < 0.9,
            "storage_type": "gp3",
            "tags": self.tags(name),
            "username": "admin",
        }

    def aws_iam_role(self, name):
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                  "Principal": {"Service": self.r.choice(["ec2.amazonaws.com", "lambda.amazonaws.com",
                                                          "ecs-tasks.amazonaws.com"])}}]}
        return {
            "arn": "arn:aws:iam::%s:role/%s" % (self.account(), name),
            "assume_role_policy": json.dumps(policy),
            "description": "Role for " + name,
            "force_detach_policies": False,
            "id": name,
            "managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            "max_session_duration": 3600,
            "name": name,
            "path": "/",
            "tags": self.tags(name),
            "unique_id": "AROA" + self.hexid(16).upper(),
        }

    def aws_security_group(self, name):
        def rule():
            port = self.r.choice([22, 80, 443, 5432, 6379, 8080])
            return {"cidr_blocks": [self.r.choice(["10.0.0.0/8", "0.0.0.0/0", "172.16.0.0/12"])], "description": "",
                    "from_port": port, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "tcp",
                    "security_groups": [], "self": False, "to_port": port}
        return {
            "arn": "arn:aws:ec2:security-group/sg-" + self.hexid(),
            "description": "Managed by Terraform",
            "egress": [rule()],
            "id": "sg-" + self.hexid(),
            "ingress": [rule() for _ in range(self.r.randint(1, 3))],
            "name": name,
            "revoke_rules_on_delete": False,
            "tags": self.tags(name),
            "vpc_id": "vpc-" + self.hexid(),
        }

    def aws_dynamodb_table(self, name):
        return {
            "arn": "arn:aws:dynamodb:table/" + name,
            "attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
            "billing_mode": self.r.choice(["PAY_PER_REQUEST", "PROVISIONED"]),
            "hash_key": "pk",
            "name": name,
            "point_in_time_recovery": [{"enabled": self.r.random() < 0.7}],
            "range_key": "sk",
            "server_side_encryption": [{"enabled": self.r.random() < 0.8, "kms_key_arn": ""}],
            "stream_enabled": False,
            "table_class": "STANDARD",
            "tags": self.tags(name),
            "ttl": [{"attribute_name": "expires", "enabled": True}],
        }

    def aws_eks_cluster(self, name):
        return {
            "arn": "arn:aws:eks:cluster/" + name,
            "enabled_cluster_log_types": ["api", "audit"],
            "name": name,
            "role_arn": "arn:aws:iam::%s:role/%s-eks" % (self.account(), name),
            "tags": self.tags(name),
            "version": self.r.choice(["1.28", "1.29", "1.30"]),
            "vpc_config": [{"endpoint_private_access": True, "endpoint_public_access": self.r.random() < 0.4,
                            "public_access_cidrs": ["0.0.0.0/0"], "security_group_ids": [],
                            "subnet_ids": self.subnets(3)}],
        }

    def aws_sqs_queue(self, name):
        return {
            "arn": "arn:aws:sqs:queue/" + name,
            "delay_seconds": 0,
            "fifo_queue": False,
            "kms_master_key_id": self.r.choice(["", "alias/aws/sqs"]),
            "max_message_size": 262144,
            "message_retention_seconds": 345600,
            "name": name,
            "sqs_managed_sse_enabled": True,
            "tags": self.tags(name),
            "visibility_timeout_seconds": 30,
        }


MANAGED = [("aws_instance", 14), ("aws_s3_bucket", 14), ("aws_ecs_service", 10), ("aws_lambda_function", 12),
           ("aws_db_instance", 6), ("aws_iam_role", 14), ("aws_security_group", 14), ("aws_dynamodb_table", 6),
           ("aws_eks_cluster", 2), ("aws_sqs_queue", 8)]
ACTIONS = [(["no-op"], 62), (["update"], 12), (["create"], 18), (["delete"], 4), (["delete", "create"], 2),
           (["create", "delete"], 2)]


def weighted(r, table):
    total = sum(w for _, w in table)
    x = r.uniform(0, total)
    for item, w in table:
        x -= w
        if x <= 0:
            return item
    return table[-1][0]


def unknown_of(values):
    return {k: (True if k in ("id", "arn") else False) for k in values if k in ("id", "arn", "tags")}


def sensitive_of(values):
    return {k: ({} if isinstance(v, dict) else [] if isinstance(v, list) else False)
            for k, v in values.items() if isinstance(v, (dict, list))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="-")
    parser.add_argument("--sorted", action="store_true",
                        help="list resource_changes by address, as Terraform does (default: generation order, "
                             "the harder case for sorting findings)")
    args = parser.parse_args()
    g = Gen(args.seed)
    r = g.r

    # Decide every resource first: module, type, name, action, values.
    modules = ["module.svc_%d" % i for i in range(max(1, args.resources // 400))]
    items = []
    for i in range(args.resources):
        place = r.random()
        if place < 0.3:
            module = ""
        elif place < 0.8:
            module = r.choice(modules)
        else:
            module = r.choice(modules) + ".module.db"
        if r.random() < 0.03:
            items.append({"module": module, "mode": "data", "type": "aws_iam_policy_document",
                          "name": "doc_%d" % i, "values": {"json": json.dumps({"Version": "2012-10-17",
                                                                              "Statement": []}), "id": g.hexid(10)}})
            continue
        rtype = weighted(r, MANAGED)
        name = "%s_%d" % (rtype[4:], i)
        values = getattr(g, rtype)(name)
        action = weighted(r, ACTIONS)
        items.append({"module": module, "mode": "managed", "type": rtype, "name": name, "values": values,
                      "action": action})

    def address(item):
        prefix = item["module"] + "." if item["module"] else ""
        return prefix + ("data." if item["mode"] == "data" else "") + item["type"] + "." + item["name"]

    def planned_entry(item):
        return {"address": address(item), "mode": item["mode"], "type": item["type"], "name": item["name"],
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 1,
                "values": item["values"], "sensitive_values": sensitive_of(item["values"])}

    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    w = out.write
    w('{"format_version":"1.2","terraform_version":"1.7.5","variables":{"region":{"value":"eu-west-1"}},')

    # planned_values: root resources, then child modules, each with nested child modules.
    def in_plan(item):
        return item["mode"] == "data" or item["action"] != ["delete"]

    by_module = {}
    for item in items:
        by_module.setdefault(item["module"], []).append(item)

    def write_module(name, first):
        if not first:
            w(",")
        w("{")
        if name:
            w('"address":%s,' % dumps(name))
        w('"resources":[')
        w(",".join(dumps(planned_entry(it)) for it in by_module.get(name, []) if in_plan(it)))
        w("]")
        children = sorted(m for m in by_module if m.startswith(name + ".module.") if name)
        if not name:
            children = [m for m in modules if m in by_module or (m + ".module.db") in by_module]
        if children:
            w(',"child_modules":[')
            for k, child in enumerate(children):
                write_module(child, k == 0)
            w("]")
        w("}")

    w('"planned_values":{"outputs":{},"root_module":')
    write_module("", True)
    w("},")

    # resource_changes: every managed resource; data sources read at apply time.
    w('"resource_changes":[')
    first = True
    for item in (sorted(items, key=address) if args.sorted else items):
        if item["mode"] == "data" and r.random() < 0.8:
            continue
        if not first:
            w(",")
        first = False
        values = item["values"]
        if item["mode"] == "data":
            change = {"actions": ["read"], "before": None, "after": values, "after_unknown": {"json": True},
                      "before_sensitive": False, "after_sensitive": {}}
        else:
            action = item["action"]
            before = None if action == ["create"] else values
            after = None if action == ["delete"] else values
            if action == ["update"] and before is not None:
                before = dict(values)
                before["tags"] = dict(values["tags"], env="old")
            change = {"actions": action, "before": before, "after": after,
                      "after_unknown": unknown_of(values) if after is not None else {},
                      "before_sensitive": sensitive_of(values) if before is not None else False,
                      "after_sensitive": sensitive_of(values) if after is not None else False}
        entry = {"address": address(item)}
        if item["module"]:
            entry["module_address"] = item["module"]
        entry.update({"mode": item["mode"], "type": item["type"], "name": item["name"],
                      "provider_name": "registry.terraform.io/hashicorp/aws", "change": change})
        w(dumps(entry))
    w("],")

    # prior_state: what exists already (not the creates), flat for brevity.
    w('"prior_state":{"format_version":"1.0","terraform_version":"1.7.5","values":{"root_module":{"resources":[')
    w(",".join(dumps({"address": address(it), "mode": it["mode"], "type": it["type"], "name": it["name"],
                      "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 1,
                      "values": {k: v for k, v in it["values"].items() if k in ("id", "arn", "name")}})
                     for it in items if it["mode"] == "managed" and it["action"] != ["create"]))
    w("]}}},")
    w('"configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws",'
      '"expressions":{"region":{"references":["var.region"]}}}},"root_module":{"variables":{"region":{}}}},')
    w('"timestamp":"2026-11-23T12:00:00Z","errored":false}\n')
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
