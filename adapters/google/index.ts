/**
 * `reviewkit/adapters/google`: Google Places (Place Details, new and legacy APIs) and
 * Google Business Profile reviews.
 */
export { type GoogleBusinessProfileOptions, googleBusinessProfile } from './business-profile.js';
export { type GooglePlacesOptions, googlePlaces } from './places.js';
