export { buildTestImages, TEST_IMAGES, DEFAULT_BUSYBOX, DEFAULT_PROBE } from './build-test-images.js';
export type { TestImageOptions } from './build-test-images.js';
export { LAYERS_IMAGE_TREE } from './layers-image.js';
export { writeOciArchive, layerTar, FIXED_CREATED, FIXED_MTIME } from './oci-archive-builder.js';
export type { TestImage, TestLayer, LayerCompression } from './oci-archive-builder.js';
