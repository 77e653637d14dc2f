#!/usr/bin/env python3
"""Generates a synthetic provider package for compile benchmarks.

    bench/gen_model.py --services 1000 --out /tmp/onus-model-1000

writes DIR/stack.onus, DIR/models.onus, DIR/services_NNN.onus (1,000 services
per file) and DIR/resources.onus: one package `synth` that imports core and

  - declares a stack of --layers layers of --areas areas each (default 10 x 10:
    100 areas) above core's stack;
  - declares 6 models over core's stack and its own (ranges across both, some
    extending others);
  - declares N services following those models (and every 10th one another
    service), each with 2-4 ownership overrides, every 3rd with a `shared`
    area, every 5th with a `when` variant;
  - maps one Terraform type per service (plus a few prefix patterns) with a
    binding for the services that have variants.

It compiles without errors when loaded with core alone (bench_compile does:
LoadOptions::stdlib_only = {"core"}); with the whole standard library the
provider packages' services do not cover the synthetic areas (E0301).
The output depends only on the options.
"""

import argparse
import os
import random


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--services", type=int, default=1000)
    p.add_argument("--layers", type=int, default=10)
    p.add_argument("--areas", type=int, default=10, help="areas per layer")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="directory (created)")
    a = p.parse_args()
    r = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    for name in os.listdir(a.out):
        if name.endswith(".onus"):
            os.remove(os.path.join(a.out, name))

    L, A = a.layers, a.areas
    layers = ["sl%d" % i for i in range(L)]
    areas = ["%s.a%d" % (l, j) for l in layers for j in range(A)]
    last = layers[-1]
    mid = layers[L // 2]
    below_mid = layers[L // 2 - 1] if L > 1 else layers[0]

    with open(os.path.join(a.out, "stack.onus"), "w") as f:
        f.write("# Synthetic stack for benchmarks (bench/gen_model.py).\npackage synth\nimport core\n\n")
        for l in layers:
            f.write('layer %s "Synthetic layer %s" {\n' % (l, l))
            for j in range(A):
                f.write('  area a%d "Area %d of %s"\n' % (j, j, l))
            f.write("}\n\n")

    models = ["m_infra", "m_platform", "m_managed", "m_hosted", "m_function", "m_software"]
    with open(os.path.join(a.out, "models.onus"), "w") as f:
        f.write("package synth\nimport core\n\n")
        f.write('model m_infra "Provider runs the core stack, customer the synthetic one" {\n'
                '  provider: physical..host_os\n  customer: guest_os..data, %s..%s\n}\n\n' % (layers[0], last))
        f.write('model m_platform "Provider runs the lower half" extends m_infra {\n'
                '  provider: guest_os, runtime.patching, %s..%s\n}\n\n' % (layers[0], below_mid))
        f.write('model m_managed "Provider runs almost everything" {\n'
                '  provider: physical..network_config, %s..%s\n  customer: identity, data, %s..%s\n}\n\n'
                % (layers[0], below_mid, mid, last))
        f.write('model m_hosted "A managed model with a few areas back" extends m_managed {\n'
                '  customer: %s\n}\n\n' % ", ".join(areas[j * (A + 1) % len(areas)] for j in range(5)))
        f.write('model m_function "Functions" extends m_managed {\n  customer: application, %s\n}\n\n' % layers[1 % L])
        f.write('model m_software "Software" {\n  provider: physical..network_config, %s..%s\n'
                '  customer: identity, data\n}\n' % (layers[0], last))

    per_file = 1000
    names = []
    for start in range(0, a.services, per_file):
        with open(os.path.join(a.out, "services_%03d.onus" % (start // per_file)), "w") as f:
            f.write("package synth\nimport core\n\n")
            for i in range(start, min(a.services, start + per_file)):
                name = "svc%d" % i
                names.append(name)
                parent = names[i - 1 - r.randrange(min(i, 9))] if i % 10 == 9 else r.choice(models)
                f.write('service %s "Synthetic service %d" : %s {\n' % (name, i, parent))
                f.write('  source "https://example.com/synth/%d"\n' % i)
                picks = r.sample(areas, 4)
                f.write("  customer: %s\n" % ", ".join(picks[:2]))
                f.write("  provider: %s\n" % picks[2])
                if i % 3 == 0:
                    f.write('  shared %s {\n    provider "Provider part %d"\n    customer "Customer part %d"\n  }\n'
                            % (picks[3], i, i))
                if i % 5 == 0:
                    f.write('  when tier == "premium" {\n    provider: %s\n  }\n' % r.choice(areas))
                f.write("}\n\n")

    with open(os.path.join(a.out, "resources.onus"), "w") as f:
        f.write("package synth\nimport core\n\nresources terraform {\n")
        for i, name in enumerate(names):
            if i % 5 == 0:
                f.write('  synth_%s -> %s { tier = settings.tier default "standard" }\n' % (name, name))
            else:
                f.write("  synth_%s -> %s\n" % (name, name))
        for i in range(0, len(names), max(1, len(names) // 10)):
            f.write('  "synthp_%d_*" -> %s\n' % (i, names[i]))
        f.write("}\n")


if __name__ == "__main__":
    main()
