{
  "targets": [
    {
      "target_name": "contrarec_native",
      "sources": ["native/addon.cc", "native/dense-adam.cc", "native/gemm.cc", "native/sparse.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fopenmp", "-ffp-contract=off", "-fno-math-errno"],
      "ldflags": ["-fopenmp"]
    }
  ]
}
