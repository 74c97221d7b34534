"""Time `wavalidate render` on generated architectures of N resources and print the figures.

    python benchmarks/render_bench.py                 # 100 and 1,000 resources
    python benchmarks/render_bench.py 50 200 400 --split never --keep /tmp/bench

For each size: building the render graph, checking, and drawing (graphviz layout included), the number
of pictures, the largest bitmap in pixels, and whether graphviz warned about scaling (it must not).
"""
from __future__ import annotations

import argparse
import os
import struct
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))

from wavalidate.model import Architecture  # noqa: E402
from wavalidate.render import build_graph  # noqa: E402
from wavalidate.render.drawing import TooLarge, draw  # noqa: E402
from wavalidate.schema import validate  # noqa: E402


def generate(n: int) -> dict:
    """An architecture of about `n` resources: VPCs of 2 AZs x (public, app, data) subnets, each with a load
    balancer, fleets of instances, a database and a cache, plus queues and Lambda functions, in 2 Regions."""
    resources: dict = {}
    flows: list = []
    regions = ["eu-west-1", "us-east-1"]
    v = 0
    while len(resources) < n:
        region = regions[v % 2]
        vpc = f"vpc-{v:02d}"
        resources[vpc] = {"type": "vpc", "region": region, "cidr": f"10.{v}.0.0/16"}
        subnets = {}
        for z, zone in enumerate("ab"):
            for t, tier in enumerate(("public", "app", "data")):
                name = f"{vpc}-{tier}-{zone}"
                subnets[(tier, zone)] = name
                resources[name] = {"type": "subnet", "vpc": vpc, "az": f"{region}{zone}",
                                   "cidr": f"10.{v}.{z * 16 + t}.0/24"}
        resources[f"{vpc}-alb"] = {"type": "load_balancer", "lb_type": "alb",
                                   "subnets": [subnets[("public", "a")], subnets[("public", "b")]]}
        web = []
        for i in range(24):
            name = f"{vpc}-web-{i:02d}"
            web.append(name)
            resources[name] = {"type": "ec2_instance", "instance_type": "m7g.large",
                               "subnet": subnets[("app", "ab"[i % 2])]}
        resources[f"{vpc}-alb"]["targets"] = web
        resources[f"{vpc}-db"] = {"type": "rds_instance", "engine": "postgres", "multi_az": v % 3 != 0,
                                  "subnets": [subnets[("data", "a")], subnets[("data", "b")]]}
        resources[f"{vpc}-cache"] = {"type": "elasticache_cluster", "engine": "redis",
                                     "subnets": [subnets[("data", "a")]], "caches": [f"{vpc}-db"]}
        resources[f"{vpc}-queue"] = {"type": "sqs_queue", "region": region}
        for i in range(4):
            resources[f"{vpc}-fn-{i}"] = {"type": "lambda_function", "region": region, "runtime": "python3.12",
                                          "invokes": [f"{vpc}-queue"]}
        flows.append({"source": f"{vpc}-alb", "target": web[0], "protocol": "tcp", "port": 443})
        flows.append({"source": web[0], "target": f"{vpc}-db", "protocol": "tcp", "port": 5432})
        v += 1
    return {"version": 1, "name": f"generated-{n}", "requirements": {"availability": 99.95},
            "regions": {r: {"azs": [f"{r}a", f"{r}b"]} for r in regions}, "resources": resources, "flows": flows}


def png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as handle:
        head = handle.read(24)
    return struct.unpack(">II", head[16:24]) if head[:8] == b"\x89PNG\r\n\x1a\n" else (0, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--split", default="auto", choices=["auto", "always", "never"])
    parser.add_argument("--format", default="png", choices=["png", "svg", "pdf", "dot"])
    parser.add_argument("--keep", help="write the pictures to this folder instead of a temporary one")
    args = parser.parse_args()
    import yaml

    from wavalidate.engine import Options, check_text
    from wavalidate.loader import Limits
    from wavalidate.plugins import load_rules
    options = Options(limits=Limits(max_bytes=1 << 30, max_resources=1 << 20, max_nodes=1 << 26))
    rules, _ = load_rules()
    print(f"{'resources':>9} {'nodes':>6} {'check s':>8} {'graph s':>8} {'draw s':>7} {'pictures':>8} "
          f"{'largest px':>12}")
    for n in args.sizes:
        data = generate(n)
        assert not validate(data), validate(data)[:3]
        arch = Architecture(data, f"generated-{n}.yaml")
        start = time.perf_counter()
        findings = check_text(yaml.safe_dump(data, sort_keys=False), rules, arch.file, options)
        checked = time.perf_counter()
        graph = build_graph(arch, findings)
        built = time.perf_counter()
        folder = args.keep or tempfile.mkdtemp(prefix="wavalidate-bench-")
        os.makedirs(folder, exist_ok=True)
        try:
            written = draw(graph, os.path.join(folder, f"generated-{n}.{args.format}"), args.format,
                           split=args.split)
        except TooLarge as error:
            print(f"{len(arch.resources):>9} {len(graph.nodes):>6} {checked - start:>8.2f} {built - checked:>8.2f} "
                  f"{time.perf_counter() - built:>7.2f}  refused: {error}", flush=True)
            continue
        drawn = time.perf_counter()
        sizes = [png_size(p) for p in written] if args.format == "png" else [(0, 0)]
        largest = max(sizes, key=lambda s: s[0] * s[1])
        print(f"{len(arch.resources):>9} {len(graph.nodes):>6} {checked - start:>8.2f} {built - checked:>8.2f} "
              f"{drawn - built:>7.2f} {len(written):>8} {largest[0]:>6}×{largest[1]:<6}", flush=True)


if __name__ == "__main__":
    main()
