{
  "targets": [
    {
      "target_name": "nabla_native",
      "sources": [
        "src/addon.cc",
        "src/cpu.cc",
        "src/threadpool.cc",
        "src/gemm.cc",
        "src/gemm_kernels.cc",
        "src/elementwise.cc",
        "src/fused.cc",
        "src/conv.cc",
        "src/conv_direct.cc",
        "src/pool.cc",
        "src/storage.cc"
      ],
      "cflags": ["-O3", "-fno-math-errno", "-fvisibility=hidden"],
      "cflags_cc": ["-O3", "-std=gnu++17", "-fno-math-errno", "-fvisibility=hidden"],
      "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS"],
      "conditions": [
        ["OS=='mac'", {
          "xcode_settings": {
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=gnu++17", "-fno-math-errno"],
            "MACOSX_DEPLOYMENT_TARGET": "11.0"
          }
        }],
        ["OS=='win'", {
          "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/O2", "/std:c++17"] } }
        }]
      ]
    }
  ]
}
