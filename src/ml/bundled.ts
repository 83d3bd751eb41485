/**
 * The encoder the app ships and runs by default, served from models/<name>/ by the app itself:
 * the trained TechToken model, so code vectors come from its code tokens out of the box.
 */
export const BUNDLED_MODEL_NAME = 'ps-techtoken-tiny';
/** The walking skeleton's tiny encoder: random weights, but 8× cheaper on SwiftShader's WebGPU. */
export const SKELETON_MODEL_NAME = 'ps-encoder-tiny';
export const BUNDLED_MODEL_REF = `bundled:${BUNDLED_MODEL_NAME}`;
