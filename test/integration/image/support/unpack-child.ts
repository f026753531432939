// Unpacks one layer into a layer store, for the test that kills an unpack midway.
// Usage: node --import tsx unpack-child.ts <layers-root> <layer-source-json>
import { LayerStore } from '../../../../src/image/layer-store.js';
import { LinuxFsOps } from '../../../../src/kernel/linux/linux-fs-ops.js';

const [root, source] = process.argv.slice(2);
if (root === undefined || source === undefined) throw new Error('usage: unpack-child.ts <layers-root> <layer-source-json>');
const layers = new LayerStore(root, { fsOps: new LinuxFsOps() });
await layers.ensure(JSON.parse(source));
process.stdout.write('unpacked\n');
