// Run by launch.test.ts as its own Node process: launches the plan in the JSON file given, prints the
// LaunchResult as one JSON line, then idles until it is killed.
import { readFileSync } from 'node:fs';
import type { LaunchPlan } from '../../../src/kernel/launch-plan.js';
import { LinuxKernel } from '../../../src/kernel/linux/linux-kernel.js';

const [helperPath, planFile] = process.argv.slice(2);
if (helperPath === undefined || planFile === undefined) throw new Error('usage: launch-and-wait.ts HELPER PLAN_JSON');
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as LaunchPlan;
const result = await new LinuxKernel({ helperPath }).launch(plan);
process.stdout.write(`${JSON.stringify(result)}\n`);
setInterval(() => undefined, 60_000);
