#!/usr/bin/env bash
# Fails at once, saying why, when the benchmark tables the tests need are not there. Source it from the
# repository root: `. .ci/require-data.sh`; it exports NAS_DATA_DIR.
NAS_DATA_DIR=${NAS_DATA_DIR:-$(cd .. && pwd)/shared/data}
for f in nb201.csv nb201_latency_help.csv nb201_cost_computed.csv nasbench_graph.csv nb101_naslib_subset.csv nb301_naslib_subset.csv; do
  if [ ! -f "$NAS_DATA_DIR/$f" ]; then
    echo "ci: expected the benchmark table $NAS_DATA_DIR/$f, but it is missing; put the shared data at ../shared/data beside the repository or set NAS_DATA_DIR" >&2
    exit 1
  fi
done
export NAS_DATA_DIR
