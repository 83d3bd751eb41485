import { installPagePolicy } from './clients/content-policy';

// A module of its own, imported first by main.ts: imports run in order, so the policy is in
// place before the app's modules are evaluated and can start a request.
installPagePolicy();
