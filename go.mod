module github.com/k8s-coroner/coroner

go 1.24

require (
	github.com/alecthomas/kong v1.17.0
	github.com/google/go-cmp v0.7.0
)
