/** The encoder the app ships and runs by default, served from models/<name>/ by the app itself. */
export const BUNDLED_MODEL_NAME = 'ps-encoder-tiny';
export const BUNDLED_MODEL_REF = `bundled:${BUNDLED_MODEL_NAME}`;
