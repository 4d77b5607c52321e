export { type NodeDatabase, openDatabase } from './database';
export { type Gateway, startGateway } from './gateway';
export { limitHeapGrowth } from './heap-growth';
export { readSettings, type Settings, SettingsError } from './settings';
export { startWorkLoop } from './work-loop';
