/**
 * `reviewkit/adapters/app-store`: App Store reviews, from Apple's public customer-reviews feed
 * (`appStore`, no credentials) or from the App Store Connect API with your responses
 * (`appStoreConnect`, with a token from `appStoreConnectToken`). Both report `source: 'app-store'`.
 */
export { type AppStoreConnectOptions, appStoreConnect } from './connect.js';
export { type AppStoreOptions, appStore } from './feed.js';
export { type AppStoreConnectTokenOptions, appStoreConnectToken } from './jwt.js';
