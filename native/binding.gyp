{
  "targets": [
    {
      "target_name": "nas_torch",
      "sources": ["torch-addon.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node -p \"process.env.NAS_TORCH_INCLUDE.split(':').join(' ')\")"
      ],
      "libraries": [
        "<!@(node -p \"process.env.NAS_TORCH_LIBS\")"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "<!@(node -p \"process.env.NAS_TORCH_DEFINES || ''\")"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-frtti", "-Wno-unused-parameter"]
    }
  ]
}
