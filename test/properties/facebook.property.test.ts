// Hostile payloads through facebook: see harness.ts for the property and REVIEWKIT_PROPERTY_RUNS.
import { describeAdapterProperty } from './harness.js';
import { propertySource } from './sources.js';

describeAdapterProperty(propertySource('facebook'));
