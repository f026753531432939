// Runs every benchmark and prints its figures: `npm run bench`.
import { benchConfig } from './config.js';
import { benchImages } from './images.js';
import { benchRuntime } from './runtime.js';
import { benchNetwork } from './network.js';
import { benchHealth } from './health.js';
import { benchUpDown } from './up-down.js';

// `npm run bench -- runtime` (or config, images, network, health, up-down) runs only the parts named.
const only = process.argv.slice(2);
const wanted = (part: string): boolean => only.length === 0 || only.includes(part);
if (wanted('config')) benchConfig();
if (wanted('images')) await benchImages();
if (wanted('runtime')) await benchRuntime();
if (wanted('network')) await benchNetwork();
if (wanted('health')) await benchHealth();
if (wanted('up-down')) await benchUpDown();
