export { type NodeDatabase, openDatabase } from './database';
export { type Gateway, startGateway } from './gateway';
export { limitHeapGrowth } from './heap-growth';
export { type LogFormat, type LogLevel, maskPhones, nodeLogger } from './logger';
export { readSettings, type Settings, SettingsError } from './settings';
export { startWorkLoop } from './work-loop';
