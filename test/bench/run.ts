// Runs every benchmark and prints its figures: `npm run bench`.
import { benchConfig } from './config.js';
import { benchImages } from './images.js';
import { benchRuntime } from './runtime.js';

benchConfig();
await benchImages();
await benchRuntime();
