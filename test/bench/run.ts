// Runs every benchmark and prints its figures: `npm run bench`.
import { benchConfig } from './config.js';

benchConfig();
