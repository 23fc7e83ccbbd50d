// The marker the planner puts in descriptions, from the built code (so bodies match the CLI's).
import { DIST_URL } from './paths.mjs';

/** Resolves `withMarker(description, name)` from dist/plan/marker.js. */
export async function withMarkerFrom() {
  const marker = await import(`${DIST_URL}plan/marker.js`);
  return marker.withMarker;
}

/** Resolves `parseMarker(description)` from dist/plan/marker.js. */
export async function parseMarkerFrom() {
  const marker = await import(`${DIST_URL}plan/marker.js`);
  return marker.parseMarker;
}
