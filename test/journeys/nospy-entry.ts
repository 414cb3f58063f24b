/**
 * `nospy` for the journeys: the CLI from the sources (run with tsx), exactly as bin/nospy.js
 * runs the built one, so a journey tests the code under test, not a stale build.
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
