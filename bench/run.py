#!/usr/bin/env python3
"""Benchmark: hdslint against checkov on a deterministic synthetic monorepo, side by side.

    python bench/run.py                       # build the monorepo in a temp dir, time both tools
    python bench/run.py --scale 2             # twice as big
    python bench/run.py --linearity           # also time hdslint on a monorepo twice as big
    python bench/run.py --checkov PATH        # checkov from its own environment (default: on PATH)
    python bench/run.py --tree DIR --tree DIR # also both tools on real trees (repeatable)

It prints wall time, CPU time and peak memory of each run, and the ratios. checkov is a
separate program (its HCL fork conflicts with python-hcl2): install it with
`pipx install checkov` or in its own virtual environment. Without checkov only hdslint is timed.
Nothing here is a test: timings depend on the machine; the README reports them with the
machine and the date.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time

PROVIDERS = {
    "aws": ('provider "aws" {\n  region = var.region\n}\n', "eu-west-3",
            ['resource "aws_s3_bucket" "b{n}" {{\n  bucket = "${{local.prefix}}-{n}"\n  tags   = local.tags\n}}\n',
             'resource "aws_db_instance" "db{n}" {{\n  engine            = "postgres"\n  instance_class    = '
             '"db.t3.micro"\n  storage_encrypted = true\n  availability_zone = "${{var.region}}a"\n}}\n',
             'resource "aws_sqs_queue" "q{n}" {{\n  name = "q-{n}"\n}}\n',
             'resource "aws_iam_role" "r{n}" {{\n  name = "role-{n}"\n  assume_role_policy = jsonencode({{Version = '
             '"2012-10-17"}})\n}}\n']),
    "azurerm": ('provider "azurerm" {\n  features {}\n}\n', "francecentral",
                ['resource "azurerm_storage_account" "sa{n}" {{\n  name                     = "sa{n}"\n  location  '
                 '               = var.region\n  resource_group_name      = "rg"\n  account_tier             = '
                 '"Standard"\n  account_replication_type = "GRS"\n}}\n',
                 'resource "azurerm_mssql_server" "s{n}" {{\n  name     = "s{n}"\n  location = var.region\n}}\n'
                 'resource "azurerm_mssql_database" "d{n}" {{\n  name      = "d{n}"\n  server_id = '
                 'azurerm_mssql_server.s{n}.id\n}}\n']),
    "google": ('provider "google" {\n  region = var.region\n}\n', "europe-west9",
               ['resource "google_storage_bucket" "g{n}" {{\n  name     = "g-{n}"\n  location = "EU"\n}}\n',
                'resource "google_sql_database_instance" "sql{n}" {{\n  name = "sql-{n}"\n  database_version = '
                '"POSTGRES_15"\n  settings {{\n    tier = "db-f1-micro"\n    backup_configuration {{\n      enabled = '
                'true\n    }}\n  }}\n}}\n']),
    "scaleway": ('provider "scaleway" {\n  region = var.region\n}\n', "fr-par",
                 ['resource "scaleway_rdb_instance" "rdb{n}" {{\n  name      = "rdb-{n}"\n  node_type = "DB-DEV-S"\n'
                  '  engine    = "PostgreSQL-15"\n}}\n',
                  'resource "scaleway_object_bucket" "ob{n}" {{\n  name = "ob-{n}"\n}}\n']),
}


def build(root: str, scale: int = 1) -> dict:
    """200*scale modules of 6 files and 200*scale root modules of 4 files (2,000*scale .tf
    files), plus 500*scale Kubernetes manifests. Deterministic (seeded)."""
    rnd = random.Random(42)
    names = sorted(PROVIDERS)
    n_modules = 200 * scale
    counts = {"tf": 0, "yaml": 0}

    def write(path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        counts["tf" if path.endswith(".tf") else "yaml"] += 1

    for i in range(n_modules):
        prov = names[i % len(names)]
        _, region, templates = PROVIDERS[prov]
        d = os.path.join(root, "modules", f"m{i:04d}")
        body = "".join(rnd.choice(templates).format(n=f"{i}_{k}") for k in range(4))
        write(os.path.join(d, "main.tf"), body)
        write(os.path.join(d, "variables.tf"),
              f'variable "region" {{\n  type    = string\n  default = "{region}"\n}}\n'
              'variable "env" {\n  type = string\n}\n'
              'variable "tags" {\n  type    = map(string)\n  default = {}\n}\n')
        write(os.path.join(d, "locals.tf"),
              'locals {\n  prefix = "${var.env}-m' + str(i) + '"\n  tags = merge(var.tags, {module = "m'
              + str(i) + '", env = var.env})\n}\n')
        write(os.path.join(d, "outputs.tf"), 'output "prefix" {\n  value = local.prefix\n}\n')
        write(os.path.join(d, "versions.tf"),
              'terraform {\n  required_version = ">= 1.5"\n}\n')
        write(os.path.join(d, "data.tf"), "# data sources would go here\n")
    for j in range(n_modules):
        prov = names[j % len(names)]
        provider_block, region, _ = PROVIDERS[prov]
        d = os.path.join(root, "envs", f"e{j:04d}")
        calls = "".join(
            f'module "m{k}" {{\n  source = "../../modules/m{((j + k * len(names)) % n_modules):04d}"\n'
            f'  env    = var.env\n  region = var.region\n  tags   = {{team = "t{j}"}}\n}}\n'
            for k in range(3))
        write(os.path.join(d, "main.tf"), calls)
        write(os.path.join(d, "providers.tf"), provider_block)
        write(os.path.join(d, "variables.tf"),
              f'variable "region" {{\n  default = "{region}"\n}}\nvariable "env" {{\n  default = "prod"\n}}\n')
        write(os.path.join(d, "backend.tf"), 'terraform {\n  backend "local" {}\n}\n')
        with open(os.path.join(d, "terraform.tfvars"), "w") as f:
            f.write(f'env = "e{j}"\n')
    for k in range(500 * scale):
        d = os.path.join(root, "k8s", f"app{k:04d}")
        write(os.path.join(d, "deployment.yaml"),
              f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{k}\n  namespace: health\n"
              f"spec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: app{k}}}\n  template:\n"
              f"    metadata:\n      labels: {{app: app{k}}}\n    spec:\n      containers:\n"
              f"        - name: app\n          image: registry.example.com/app:{k}\n"
              f"          env:\n            - name: S3_ENDPOINT\n              value: https://s3.eu-west-3.amazonaws.com\n")
    return counts


def measure(cmd: list, cwd: str) -> dict:
    """Wall time, CPU time (user+sys) and peak resident memory of one run of cmd."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")[-500:]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "exit": proc.returncode, "stderr": err}


def row(name: str, m: dict) -> str:
    return f"{name:<34} {m['wall']:>8.2f} s {m['cpu']:>8.2f} s {m['rss_mb']:>9.1f} MB   exit {m['exit']}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--hdslint", default=shutil.which("hdslint") or f"{sys.executable} -m hdslint")
    ap.add_argument("--checkov", default=shutil.which("checkov"))
    ap.add_argument("--keep", help="build the monorepo in this directory and keep it")
    ap.add_argument("--runs", type=int, default=1, help="runs per measurement (the best is kept)")
    ap.add_argument("--linearity", action="store_true", help="also scan a monorepo twice as big (target: <= 2.2x time)")
    ap.add_argument("--tree", action="append", default=[],
                    help="also time both tools on this directory, a real tree (repeatable; target: >= 50x)")
    args = ap.parse_args(argv)
    hdslint = args.hdslint.split()
    root = args.keep or tempfile.mkdtemp(prefix="hdslint-bench-")
    if args.keep and os.path.isdir(root):
        shutil.rmtree(root)
    counts = build(root, args.scale)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"monorepo: {counts['tf']} .tf files, {counts['yaml']} Kubernetes manifests (scale {args.scale}) in {root}\n")
    print(f"{'run':<34} {'wall':>10} {'CPU':>10} {'peak memory':>12}")

    def best(cmd, cwd):
        results = [measure(cmd, cwd) for _ in range(args.runs)]
        return min(results, key=lambda m: m["wall"])

    one = os.path.join(root, "one-file")
    os.makedirs(one)
    with open(os.path.join(one, "main.tf"), "w") as f:
        f.write('provider "aws" {\n  region = "eu-west-3"\n}\nresource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n')
    results = {}
    results["hdslint one-file"] = best(hdslint + ["scan", "--fail-on", "none", "main.tf"], one)
    results["hdslint monorepo"] = best(hdslint + ["scan", "--format", "json", "--fail-on", "none"], root)
    changed = os.path.join("envs", "e0007", "main.tf")
    results["hdslint pre-commit (1 file)"] = best(hdslint + ["scan", "--fail-on", "none", changed], root)
    if args.linearity:
        big = tempfile.mkdtemp(prefix="hdslint-bench-x2-")
        build(big, args.scale * 2)
        results["hdslint monorepo x2"] = best(hdslint + ["scan", "--format", "json", "--fail-on", "none"], big)
        shutil.rmtree(big, ignore_errors=True)
    names = {tree: os.path.basename(os.path.normpath(tree)) for tree in args.tree}
    for tree, name in names.items():
        results[f"hdslint {name}"] = best(hdslint + ["scan", "--format", "json", "--fail-on", "none"], tree)
    # checkov last: it leaves worker processes behind that would slow the runs after it
    if args.checkov:
        results["checkov one-file"] = best([args.checkov, "-d", ".", "--quiet", "--compact", "-o", "json"], one)
        results["checkov monorepo"] = best([args.checkov, "-d", ".", "--quiet", "--compact", "-o", "json",
                                            "--framework", "terraform", "kubernetes"], root)
        for tree, name in names.items():
            results[f"checkov {name}"] = best([args.checkov, "-d", ".", "--quiet", "--compact", "-o", "json",
                                               "--framework", "terraform", "kubernetes"], tree)
    for name, m in results.items():
        print(row(name[:34], m))
        if m["exit"] not in (0, 1):
            print(f"    stderr: {m['stderr']}")
    trees = {name: results[f"checkov {name}"]["wall"] / results[f"hdslint {name}"]["wall"]
             for name in names.values() if args.checkov}
    targets = [("one-file repository <= 0.3 s wall", results["hdslint one-file"]["wall"] <= 0.3),
               ("pre-commit on one file of the monorepo <= 0.5 s",
                results["hdslint pre-commit (1 file)"]["wall"] <= 0.5)]
    if args.linearity:
        ratio = results["hdslint monorepo x2"]["wall"] / results["hdslint monorepo"]["wall"]
        print(f"\nlinearity: 2x input took {ratio:.2f}x the time")
        targets.append(("2x input <= 2.2x time", ratio <= 2.2))
    if args.checkov:
        h, c = results["hdslint monorepo"], results["checkov monorepo"]
        targets += [("monorepo >= 10x faster than checkov", c["wall"] / h["wall"] >= 10),
                    ("monorepo <= 1/3 of checkov's peak memory", h["rss_mb"] <= c["rss_mb"] / 3)]
        print(f"\nmonorepo: hdslint is {c['wall'] / h['wall']:.1f}x faster (wall), {c['cpu'] / h['cpu']:.1f}x "
              f"less CPU, and uses {h['rss_mb'] / c['rss_mb']:.2f}x checkov's peak memory")
        h1, c1 = results["hdslint one-file"], results["checkov one-file"]
        print(f"one file: hdslint {h1['wall']:.2f} s, checkov {c1['wall']:.2f} s ({c1['wall'] / h1['wall']:.1f}x)")
        for name, ratio in trees.items():
            print(f"{name}: hdslint is {ratio:.1f}x faster (wall)")
            targets.append((f"{name} >= 50x faster than checkov", ratio >= 50))
    else:
        print("\ncheckov not found: pass --checkov PATH to compare")
    print("\ntargets:")
    for name, ok in targets:
        print(f"  {'met    ' if ok else 'MISSED '} {name}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
