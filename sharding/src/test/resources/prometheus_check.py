"""Parses Prometheus's text exposition format from stdin with the Prometheus Python client's parser (Debian's
python3-prometheus-client), which raises on a line it cannot read, and is stricter still here: every metric
family declares its type, and every sample belongs to a declared family. Prints the count of families and
samples; exits non-zero, naming the problem, on any."""
import sys

from prometheus_client.parser import text_string_to_metric_families

text = sys.stdin.read()
declared = set()
for line in text.splitlines():
    if line.startswith("# TYPE "):
        name = line.split()[2]
        if name in declared:
            sys.exit("family declared twice: " + name)
        declared.add(name)
families = list(text_string_to_metric_families(text))
samples = 0
for family in families:
    if family.type == "unknown":
        sys.exit("a family without a type: " + family.name)
    if family.name not in declared and family.name + "_total" not in declared:
        sys.exit("samples of an undeclared family: " + family.name)
    samples += len(family.samples)
if not families:
    sys.exit("no metrics")
print(f"families {len(families)} samples {samples}")
