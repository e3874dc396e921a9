import { clearBuildMarkers } from '../libs/testing/build-once';

/** Stops what test/global-setup.ts started (nothing when the URLs were given). */
export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__TEST_SERVERS__;
  globalThis.__TEST_SERVERS__ = undefined;
  clearBuildMarkers();
  await servers?.stop();
}
