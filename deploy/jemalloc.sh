# Sourced by the scripts that start JVMs running RocksDB (ews, deploy/local/cluster, bench/run):
# preloads jemalloc when it is installed (Debian: apt-get install libjemalloc2), as Flink's own
# container images do. RocksDB allocates its blocks, memtables and write batches with malloc; on
# the benchmark machine jemalloc made the at-risk scoring job 4-9% faster than glibc's malloc in
# two back-to-back pairs of full-scale runs. EWS_JEMALLOC=off keeps glibc's malloc.
# Sets LD_PRELOAD for the processes started afterwards; prints nothing.

if [[ "${EWS_JEMALLOC:-on}" != "off" && ":${LD_PRELOAD:-}:" != *libjemalloc* ]]; then
  for candidate in "/usr/lib/$(uname -m)-linux-gnu/libjemalloc.so.2" /usr/lib64/libjemalloc.so.2 \
      /usr/local/lib/libjemalloc.so.2; do
    if [[ -r "$candidate" ]]; then
      export LD_PRELOAD="$candidate${LD_PRELOAD:+:$LD_PRELOAD}"
      break
    fi
  done
  unset candidate
fi
