import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Engine and end-to-end tests share one dockerd; running files in parallel on 2 cores only
    // makes systemd containers slower to boot and timeouts flakier.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
