{
  "targets": [
    {
      "target_name": "contrarec_native",
      "sources": ["native/gemm.cc"],
      "cflags_cc": ["-O3", "-fopenmp", "-std=c++17"],
      "ldflags": ["-fopenmp"]
    }
  ]
}
