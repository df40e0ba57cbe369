#!/usr/bin/env bash
# Runs every test suite and prints, last, one line: "N passed, N failed".
# Each suite prints "SUITE-RESULT <name> <passed> <failed>"; a suite that
# crashes or prints no result counts as one failure.
#
#   SUITES="unit integration"   run a subset (default: all)
#   BUILD=build/release         where the binaries are
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
SUITES=${SUITES:-"unit integration redis-tests clients orders-bench durability crash-test fuzz"}
export ORDIS_SERVER=${ORDIS_SERVER:-$BUILD/ordis-server}
export ORDIS_BENCH=${ORDIS_BENCH:-$BUILD/ordis-bench}
export CRASH_TEST=${CRASH_TEST:-$BUILD/crash-test}
total_pass=0
total_fail=0
log_dir=$(mktemp -d /tmp/ordis-tests.XXXXXX)

# Catch2 binaries: count test cases from the summary line.
catch_suite() {
  local name=$1 bin=$2 out
  out="$log_dir/$name.log"
  "$bin" 2>&1 | tee "$out" | grep -E '^(All tests passed|test cases:)|FAILED' || true
  local line pass fail
  line=$(grep -E '^(All tests passed|test cases:)' "$out" | tail -1)
  if [[ "$line" =~ ^All\ tests\ passed.*in\ ([0-9]+)\ test\ case ]]; then
    pass=${BASH_REMATCH[1]}; fail=0
  elif [[ "$line" =~ test\ cases:\ +([0-9]+)\ \|\ +([0-9]+)\ passed\ \|\ +([0-9]+)\ failed ]]; then
    pass=${BASH_REMATCH[2]}; fail=${BASH_REMATCH[3]}
  elif [[ "$line" =~ test\ cases:\ +([0-9]+)\ \|\ +([0-9]+)\ failed ]]; then
    pass=0; fail=${BASH_REMATCH[2]}
  else
    pass=0; fail=1
  fi
  echo "SUITE-RESULT $name $pass $fail"
}

script_suite() {
  local name=$1; shift
  local out="$log_dir/$name.log"
  "$@" 2>&1 | tee "$out"
  local line
  line=$(grep -E '^SUITE-RESULT ' "$out" | tail -1)
  if [ -z "$line" ]; then echo "SUITE-RESULT $name 0 1"; fi
}

for s in $SUITES; do
  echo "=== $s"
  case $s in
    unit) catch_suite unit "$BUILD/unit-tests" ;;
    integration) catch_suite integration "$BUILD/integration-tests" ;;
    redis-tests) script_suite redis-tests bash redis-tests/run.sh ;;
    clients) script_suite clients bash redis-tests/clients/run.sh ;;
    orders-bench) script_suite orders-bench bash utils/ordis-bench/suite.sh ;;
    durability) script_suite durability bash tests/durability/run.sh ;;
    crash-test) script_suite crash-test bash utils/crash-test/suite.sh ;;
    fuzz) script_suite fuzz bash tests/fuzz/run.sh "${FUZZ_SECONDS:-60}" ;;
    *) echo "unknown suite $s"; echo "SUITE-RESULT $s 0 1" ;;
  esac
done 2>&1 | tee "$log_dir/all.log" | grep -v '^SUITE-RESULT' 
while read -r _ name p f; do
  printf '%-14s %6d passed, %d failed\n' "$name" "$p" "$f"
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
done < <(grep '^SUITE-RESULT' "$log_dir/all.log")
echo "logs: $log_dir"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
