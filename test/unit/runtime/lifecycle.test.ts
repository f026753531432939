import { RuntimeFixture } from './runtime-fixture.js';
import { describeRuntimeLifecycle } from './runtime-conformance.js';

describeRuntimeLifecycle('FakeKernel', async () => {
  const f = await RuntimeFixture.create();
  return {
    runtime: f.runtime,
    spec: (name, args, overrides) => f.spec(name, args, overrides),
    async cleanup() {
      const left = [...f.kernel.running().map((r) => `process ${r.pid}`), ...(await f.containerDirs()).map((d) => `container dir ${d}`)];
      await f.cleanup();
      return left;
    },
  };
});
