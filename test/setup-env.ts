// Dawn reads these when the `webgpu` module is first imported, so they are set in a setup file
// that runs before any test module. SwiftShader's ICD ships with Debian's `chromium` package.
process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
