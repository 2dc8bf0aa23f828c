# Shortcuts for the scripts in scripts/.
.PHONY: test bench bench-quick demo

test:
	scripts/test

bench:
	scripts/bench

bench-quick:
	scripts/bench --quick

demo:
	scripts/demo
