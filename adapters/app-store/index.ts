/**
 * `reviewkit/adapters/app-store`: App Store reviews from Apple's public customer-reviews feed
 * (`appStore`, no credentials). Reports `source: 'app-store'`.
 */
export { type AppStoreOptions, appStore } from './feed.js';
